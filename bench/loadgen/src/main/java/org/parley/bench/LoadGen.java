package org.parley.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code java -jar parley-loadgen.jar register|sessions|chat|group|overload|offline|history|merge|table ...}. */
@Command(name = "parley-loadgen", mixinStandardHelpOptions = true,
        subcommands = {RegisterCommand.class, SessionsCommand.class, ChatCommand.class, GroupCommand.class, OverloadCommand.class,
                OfflineCommand.class, HistoryCommand.class, UploadCommand.class, SlowReaderCommand.class, SoakCommand.class,
                MergeCommand.class, TableCommand.class},
        description = "Open-loop XMPP load generator for Parley, ejabberd and Prosody")
public final class LoadGen {
    private LoadGen() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(LoadGen.class).execute(args));
    }
}
