package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.Server;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley reports}: the abuse reports users sent with their block requests (XEP-0377), newest first. */
@Command(name = "reports", description = "List the abuse reports users sent with their block requests, newest first"
        + " (works while the server is stopped).", mixinStandardHelpOptions = true)
final class ReportsCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCli root;

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "50",
            description = "how many reports to show at most (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        new AccountAdmin(root.config(), Server.defaultModules(), root.passwordPrompt(), spec.commandLine().getOut())
                .reports(limit);
        return 0;
    }
}
