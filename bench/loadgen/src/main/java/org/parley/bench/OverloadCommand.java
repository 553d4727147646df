package org.parley.bench;

import picocli.CommandLine.Command;

/**
 * The chat at offered rates past what the server sustains, every step run whatever the one
 * before did: how much is delivered (goodput) against what was offered, the latency, whether
 * what was accepted is delivered once the load stops (the drain), and the server's RSS at the
 * end of each step. A server that sheds overload by slowing its senders (TCP backpressure) keeps
 * its goodput near its maximum and its memory flat; one that queues grows both latency and RSS.
 */
@Command(name = "overload", description = "the chat at rates past saturation: offered vs delivered, p99, RSS per step")
final class OverloadCommand extends ChatCommand {
    @Override
    String name() {
        return "overload";
    }

    @Override
    boolean keepGoing() {
        return true;
    }
}
