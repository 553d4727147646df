package org.parley.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.Server;
import org.parley.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code parley start}: runs the server until the process is told to stop. */
@Command(name = "start", description = "Run the server (the default).", mixinStandardHelpOptions = true)
final class StartCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli root;

    @Override
    public Integer call() throws InterruptedException {
        return run(root.config());
    }

    /** Blocks until a shutdown hook (SIGTERM, Ctrl-C) has closed the server. */
    static int run(Config config) throws InterruptedException {
        Logs.apply(config.log());
        Server server = new Server(config);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                server.close();
            } finally {
                closed.countDown();
            }
        }, "parley-shutdown");
        // Registered before start so a signal during start-up still closes what was opened.
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            throw e;
        }
        closed.await();
        return 0;
    }
}
