package org.parley.cluster;

import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smackx.ping.PingManager;
import org.parley.testing.MessageInbox;

/**
 * Traffic around the end of a child-process node: {@code sender} sends {@code messages} chat
 * messages "m0", "m1", … 2 ms apart, alternately to {@code full} and {@code bare}, and once
 * {@code endAfter} are sent, another thread ends the node; returns once the server accepted them all.
 */
final class EndUnderTraffic {

    interface End {
        void end(ClusterTestNodes.Child child) throws InterruptedException;
    }

    private EndUnderTraffic() {
    }

    static void send(MessageInbox sender, String full, String bare, int messages, int endAfter,
                     ClusterTestNodes.Child child, End end) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        Thread ender = Thread.ofPlatform().start(() -> {
            try {
                while (sent.get() < endAfter) {
                    Thread.sleep(1);
                }
                end.end(child);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < messages; i++) {
            sender.sendChat(i % 2 == 0 ? full : bare, "m" + i);
            sent.incrementAndGet();
            Thread.sleep(2);
        }
        ender.join();
        // Every message accepted by the server (a loaded machine may take a while to store them).
        if (!PingManager.getInstanceFor(sender.connection()).pingMyServer(true, 60_000)) {
            throw new AssertionError("the sender's server did not answer a ping");
        }
    }
}
