package org.parley.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.parley.Server;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code parley} command. Exit codes: 0 success, 1 the command failed (user exists, no such
 * user, server could not start), 2 bad configuration or command line.
 */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "Parley 0.1.0",
        description = "An XMPP server. Without a subcommand, starts the server.",
        subcommands = {StartCommand.class, UserCommand.class, InviteCommand.class, ReportsCommand.class})
public final class ParleyCli implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", scope = ScopeType.INHERIT,
            description = "YAML configuration file; PARLEY_* environment variables override it")
    Path configFile;

    private final Map<String, String> env;
    private final PasswordPrompt passwordPrompt;

    private ParleyCli(Map<String, String> env, PasswordPrompt passwordPrompt) {
        this.env = env;
        this.passwordPrompt = passwordPrompt;
    }

    public static void main(String[] args) {
        int code = commandLine(System.getenv(), new TerminalPasswordPrompt(System.console(), System.in)).execute(args);
        System.exit(code);
    }

    /** The command line wired to {@code env} and {@code prompt}; tests run it in-process. */
    public static CommandLine commandLine(Map<String, String> env, PasswordPrompt prompt) {
        CommandLine cli = new CommandLine(new ParleyCli(Map.copyOf(env), prompt));
        cli.setExecutionExceptionHandler(ParleyCli::handle);
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        return StartCommand.run(config());
    }

    /** The configuration of a standard server, its modules' sections included, so a file written for it loads. */
    Config config() {
        return ConfigLoader.load(configFile, env, Server.defaultSections());
    }

    PasswordPrompt passwordPrompt() {
        return passwordPrompt;
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        int code = switch (e) {
            case ConfigException c -> {
                err.println("config error: " + c.getMessage());
                yield CliException.USAGE;
            }
            case CliException c -> {
                err.println(c.getMessage());
                yield c.exitCode();
            }
            default -> {
                err.println("error: " + e.getMessage());
                yield CliException.FAILED;
            }
        };
        err.flush();
        return code;
    }
}
