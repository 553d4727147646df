package org.parley.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Bytes in and out of a client pipeline under test, as text. */
final class Wire {
    private Wire() {
    }

    /** What the client sends; the tasks it queues have run when this returns. */
    static void in(EmbeddedChannel channel, String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        channel.runPendingTasks();
    }

    /** Everything flushed to the client since the last call, after the queued tasks ran. */
    static String out(EmbeddedChannel channel) {
        channel.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; b.release()) {
            sb.append(b.toString(StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
