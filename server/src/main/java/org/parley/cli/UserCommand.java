package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley user ...}: account administration that works with the server stopped. */
@Command(name = "user", description = "Manage accounts (works while the server is stopped).",
        mixinStandardHelpOptions = true,
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.Passwd.class, UserCommand.List.class})
final class UserCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, remove, passwd or list");
    }

    AccountAdmin admin(CommandSpec sub) {
        return new AccountAdmin(root.config(), Server.defaultModules(), root.passwordPrompt(), sub.commandLine().getOut());
    }

    @Command(name = "add", description = "Create an account.", mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @ParentCommand UserCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "<user>", description = "user or user@domain") String user;
        @Option(names = "--password", paramLabel = "<pw>",
                description = "the password; read from the terminal (or one line of stdin) if absent")
        String password;

        @Override
        public Integer call() {
            parent.admin(spec).add(user, password);
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete an account and all its data.", mixinStandardHelpOptions = true)
    static final class Remove implements Callable<Integer> {
        @ParentCommand UserCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "<user>", description = "user or user@domain") String user;

        @Override
        public Integer call() {
            parent.admin(spec).remove(user);
            return 0;
        }
    }

    @Command(name = "passwd", description = "Change an account's password.", mixinStandardHelpOptions = true)
    static final class Passwd implements Callable<Integer> {
        @ParentCommand UserCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "<user>", description = "user or user@domain") String user;
        @Option(names = "--password", paramLabel = "<pw>",
                description = "the new password; read from the terminal (or one line of stdin) if absent")
        String password;

        @Override
        public Integer call() {
            parent.admin(spec).passwd(user, password);
            return 0;
        }
    }

    @Command(name = "list", description = "Print all accounts, one JID a line.", mixinStandardHelpOptions = true)
    static final class List implements Callable<Integer> {
        @ParentCommand UserCommand parent;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            parent.admin(spec).list();
            return 0;
        }
    }
}
