package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParleyCliTest {

    @TempDir
    Path dir;

    private final List<String> prompts = new ArrayList<>();
    private String typedPassword = "typed-secret";

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ParleyCli.commandLine(env, prompt -> {
            prompts.add(prompt);
            return typedPassword;
        });
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        // A fresh subdirectory proves the CLI creates the data directory on a first run.
        return run(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString()), args);
    }

    @Test
    void addListPasswdRemoveRoundTrip() {
        assertThat(run("user", "add", "Alice", "--password", "s3cret")).isEqualTo(new Run(0, "created alice@localhost\n", ""));
        assertThat(Files.exists(dir.resolve("data/parley.db"))).isTrue();
        assertThat(run("user", "add", "bob@localhost", "--password", "pw").out()).isEqualTo("created bob@localhost\n");
        assertThat(run("user", "list").out()).isEqualTo("alice@localhost\nbob@localhost\n");

        assertThat(run("user", "passwd", "alice", "--password", "new")).isEqualTo(
                new Run(0, "password changed for alice@localhost\n", ""));

        assertThat(run("user", "remove", "alice@LOCALHOST")).isEqualTo(new Run(0, "removed alice@localhost\n", ""));
        assertThat(run("user", "list").out()).isEqualTo("bob@localhost\n");
        assertThat(prompts).isEmpty();
    }

    @Test
    void promptsForPasswordWhenNotGiven() {
        assertThat(run("user", "add", "carol").exitCode()).isZero();
        assertThat(run("user", "passwd", "carol").out()).isEqualTo("password changed for carol@localhost\n");
        assertThat(prompts).containsExactly("Password for carol@localhost: ", "Password for carol@localhost: ");

        typedPassword = "";
        Run empty = run("user", "add", "dave");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).isEqualTo("password must not be empty\n");
        assertThat(run("user", "list").out()).isEqualTo("carol@localhost\n");
    }

    @Test
    void duplicatesAndMissingUsersFail() {
        run("user", "add", "alice", "--password", "x");
        assertThat(run("user", "add", "alice", "--password", "y"))
                .isEqualTo(new Run(1, "", "user alice@localhost already exists\n"));
        assertThat(run("user", "remove", "zed")).isEqualTo(new Run(1, "", "no such user zed@localhost\n"));
        assertThat(run("user", "passwd", "zed", "--password", "x"))
                .isEqualTo(new Run(1, "", "no such user zed@localhost\n"));
        assertThat(prompts).as("no prompt for a name that cannot succeed").isEmpty();
    }

    @Test
    void invalidNamesAndForeignDomainsFail() {
        Run invalid = run("user", "add", "al ice", "--password", "x");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).startsWith("invalid username \"al ice\"");

        Run foreign = run("user", "add", "alice@example.org", "--password", "x");
        assertThat(foreign.exitCode()).isEqualTo(1);
        assertThat(foreign.err()).isEqualTo("user alice@example.org: this server's domain is localhost\n");
        assertThat(run("user", "list").out()).isEmpty();
    }

    @Test
    void badConfigNamesTheKeyAndExitsWithTwo() throws IOException {
        Path yaml = Files.writeString(dir.resolve("parley.yml"), "limits:\n  maxStanzaBytes: abc\n");
        Run fromFile = run(Map.of(), "-c", yaml.toString(), "user", "list");
        assertThat(fromFile.exitCode()).isEqualTo(2);
        assertThat(fromFile.err())
                .isEqualTo("config error: limits.maxStanzaBytes: must be a positive integer, got \"abc\"\n");

        Run optionAfterSubcommand = run(Map.of(), "user", "list", "--config", yaml.toString());
        assertThat(optionAfterSubcommand.exitCode()).isEqualTo(2);
        assertThat(optionAfterSubcommand.err()).contains("limits.maxStanzaBytes");

        Run start = run(Map.of("PARLEY_C2S_PORT", "http"), "start");
        assertThat(start.exitCode()).isEqualTo(2);
        assertThat(start.err()).startsWith("config error: c2s.port:");
        assertThat(run(Map.of("PARLEY_C2S_PORT", "http")).exitCode()).as("start is the default").isEqualTo(2);
    }

    @Test
    void configFileAppliesToUserCommands() throws IOException {
        Path yaml = Files.writeString(dir.resolve("parley.yml"),
                "domain: Example.ORG\ndataDir: " + dir.resolve("d") + "\n");
        assertThat(run(Map.of(), "--config", yaml.toString(), "user", "add", "eve@example.org", "--password", "x").out())
                .isEqualTo("created eve@example.org\n");
        assertThat(run(Map.of(), "-c", yaml.toString(), "user", "list").out()).isEqualTo("eve@example.org\n");
    }

    @Test
    void userCommandsTakeAFileWrittenForTheWholeServer() throws IOException {
        Path yaml = Files.writeString(dir.resolve("parley.yml"), "dataDir: " + dir.resolve("d") + "\n"
                + "archive:\n  maxPageSize: 100\nsm:\n  resumeTimeout: 2m\nlog:\n  format: json\n");
        assertThat(run(Map.of(), "-c", yaml.toString(), "user", "add", "eve", "--password", "x").out())
                .isEqualTo("created eve@localhost\n");

        Path typo = Files.writeString(dir.resolve("typo.yml"), "archive:\n  maxPageSiz: 100\n");
        assertThat(run(Map.of(), "-c", typo.toString(), "user", "list"))
                .isEqualTo(new Run(2, "", "config error: archive.maxPageSiz: unknown key\n"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("user", "add").exitCode()).isEqualTo(2);
        assertThat(run("user", "frobnicate").exitCode()).isEqualTo(2);
        assertThat(run("user").exitCode()).isEqualTo(2);
        assertThat(run("--no-such-option").exitCode()).isEqualTo(2);
        assertThat(run("--help").exitCode()).isZero();
    }
}
