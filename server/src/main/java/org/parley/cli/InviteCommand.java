package org.parley.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.Server;
import org.parley.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley invite ...}: invitations to register in-band (works while the server is stopped). */
@Command(name = "invite", description = "Manage invitations to register (works while the server is stopped).",
        mixinStandardHelpOptions = true, subcommands = {InviteCommand.Create.class})
final class InviteCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create");
    }

    @Command(name = "create", description = "Make an invitation: one account may be registered with its token.",
            mixinStandardHelpOptions = true)
    static final class Create implements Callable<Integer> {
        @ParentCommand InviteCommand parent;
        @Spec CommandSpec spec;
        @Option(names = "--from", paramLabel = "<user>",
                description = "the inviting account: the new account and it become contacts (XEP-0379)")
        String from;
        @Option(names = "--valid", paramLabel = "<duration>", defaultValue = "7d",
                description = "how long the invitation may be used (e.g. 1h, 7d; default ${DEFAULT-VALUE})")
        String valid;

        @Override
        public Integer call() {
            Duration validity = Durations.parse(valid).filter(d -> d.isPositive()).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--valid must be a duration such as 1h or 7d"));
            new AccountAdmin(parent.root.config(), Server.defaultModules(), parent.root.passwordPrompt(),
                    spec.commandLine().getOut()).invite(from, validity);
            return 0;
        }
    }
}
