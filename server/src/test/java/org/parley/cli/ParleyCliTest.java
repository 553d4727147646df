package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.feature.blocking.SqlBlockingStore;
import org.parley.feature.last.LastActivity;
import org.parley.feature.last.SqlLastActivityStore;
import org.parley.feature.mam.ArchivePrefs;
import org.parley.feature.mam.ArchiveRecord;
import org.parley.feature.mam.SqlArchiveStore;
import org.parley.feature.offline.SqlOfflineStore;
import org.parley.feature.pep.SqlPubSubStore;
import org.parley.feature.push.PushRegistration;
import org.parley.feature.push.SqlPushStore;
import org.parley.store.RosterItem;
import org.parley.store.sql.Database;
import org.parley.store.sql.SqlStores;
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
    void inviteCreateStoresATokenAndPrintsTheUriToHandOut() {
        Run server = run("invite", "create", "--valid", "1h");
        assertThat(server.exitCode()).isZero();
        String token = server.out().lines().findFirst().orElseThrow().substring("token ".length());
        assertThat(token).hasSizeGreaterThanOrEqualTo(24);
        assertThat(server.out()).endsWith("xmpp:localhost?register;preauth=" + token + "\n");
        try (SqlStores stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("data/parley.db"), 2)) {
            var invite = new org.parley.feature.register.SqlInviteStore(stores.database()).valid(token, Instant.now())
                    .orElseThrow();
            assertThat(invite.inviter()).isNull();
            assertThat(invite.expires()).isBefore(Instant.now().plusSeconds(3601));
        }
        assertThat(run("invite", "create", "--from", "nobody").exitCode()).isNotZero();
        run("user", "add", "alice", "--password", "pw");
        Run personal = run("invite", "create", "--from", "alice");
        String second = personal.out().lines().findFirst().orElseThrow().substring("token ".length());
        assertThat(second).isNotEqualTo(token);
        assertThat(personal.out()).endsWith("xmpp:alice@localhost?roster;preauth=" + second + ";ibr=y\n");
        assertThat(run("invite", "create", "--valid", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void reportsListsTheNewestAbuseReportsFirst() {
        assertThat(run("reports")).isEqualTo(new Run(0, "no reports\n", ""));
        run("user", "add", "alice", "--password", "pw");
        try (SqlStores stores = SqlStores.open("jdbc:sqlite:" + dir.resolve("data/parley.db"), 2)) {
            var reports = new org.parley.feature.reporting.SqlReportStore(stores.database());
            reports.add(new org.parley.feature.reporting.Report("alice", "spam@example.org",
                    "urn:xmpp:reporting:spam", "sells\npills", List.of("alice@localhost 1a2b"),
                    Instant.parse("2026-12-01T10:00:00Z")), 10);
            reports.add(new org.parley.feature.reporting.Report("alice", "troll@example.org", null, null, List.of(),
                    Instant.parse("2026-12-02T10:00:00Z")), 10);
        }
        assertThat(run("reports").out()).isEqualTo(
                "2026-12-02T10:00:00Z alice@localhost reported troll@example.org for no reason given\n"
                + "2026-12-01T10:00:00Z alice@localhost reported spam@example.org for urn:xmpp:reporting:spam:"
                + " sells pills [messages: alice@localhost 1a2b]\n");
        assertThat(run("reports", "--limit", "1").out()).startsWith("2026-12-02").doesNotContain("2026-12-01");
        assertThat(run("reports", "--limit", "0").exitCode()).isEqualTo(2);
    }

    /** Removal goes through every feature's store, not just the core's, on a server that is not running. */
    @Test
    void removeTakesTheAccountsDataFromEveryFeaturesStore() {
        run("user", "add", "alice", "--password", "pw");
        run("user", "add", "bob", "--password", "pw");
        String url = "jdbc:sqlite:" + dir.resolve("data/parley.db");
        try (SqlStores stores = SqlStores.open(url, 2)) {
            Database db = stores.database();
            for (String user : List.of("alice", "bob")) {
                stores.roster().put(user, RosterItem.of("carol@localhost"));
                stores.vcards().put(user, "<vCard xmlns='vcard-temp'/>");
                new SqlOfflineStore(db).store(user, "<message/>", 10);
                new SqlBlockingStore(db).block(user, List.of("spam@example.org"), 10);
                new SqlLastActivityStore(db).put(user, new LastActivity(Instant.EPOCH, "away"));
                new SqlPushStore(db).enable(user, new PushRegistration("push.example", "n", null), 10);
                new SqlPubSubStore(db).createNode(user, "urn:xmpp:avatar:metadata", Map.of(), 10);
                new SqlArchiveStore(db).setPrefs(user, new ArchivePrefs("never", Set.of(), Set.of()));
            }
            new SqlArchiveStore(db).append(List.of(new ArchiveRecord(1, "alice", null, "alice@localhost", "r",
                    "carol@localhost", null, "hi", "<message xmlns='jabber:client'><body>hi</body></message>")));
        }

        assertThat(run("user", "remove", "alice").exitCode()).isZero();

        try (SqlStores stores = SqlStores.open(url, 2)) {
            Database db = stores.database();
            assertThat(stores.roster().items("alice")).isEmpty();
            assertThat(stores.vcards().get("alice")).isEmpty();
            assertThat(new SqlOfflineStore(db).count("alice")).isZero();
            assertThat(new SqlBlockingStore(db).blocked("alice")).isEmpty();
            assertThat(new SqlLastActivityStore(db).get("alice")).isEmpty();
            assertThat(new SqlPushStore(db).list("alice")).isEmpty();
            assertThat(new SqlPubSubStore(db).nodes("alice")).isEmpty();
            assertThat(new SqlArchiveStore(db).prefs("alice")).isEmpty();
            assertThat(new SqlArchiveStore(db).contains("alice", 1)).isFalse();

            assertThat(stores.roster().items("bob")).hasSize(1);
            assertThat(new SqlOfflineStore(db).count("bob")).isEqualTo(1);
            assertThat(new SqlBlockingStore(db).blocked("bob")).hasSize(1);
            assertThat(new SqlPushStore(db).list("bob")).hasSize(1);
            assertThat(new SqlPubSubStore(db).nodes("bob")).hasSize(1);
            assertThat(new SqlArchiveStore(db).prefs("bob")).isPresent();
        }
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
    void aPortAnotherProcessHoldsIsNamedBySettingAndExitsNonZero() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int port = taken.getLocalPort();
            Run start = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(Map.of(
                    "PARLEY_DATA_DIR", dir.resolve("data").toString(),
                    "PARLEY_C2S_PORT", Integer.toString(port),
                    "PARLEY_HTTP_PORT", "-1"), "start"));
            assertThat(start.exitCode()).isEqualTo(CliException.FAILED);
            assertThat(start.err()).startsWith("error: cannot listen on 0.0.0.0:" + port + " (c2s.port): ");
        }
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
