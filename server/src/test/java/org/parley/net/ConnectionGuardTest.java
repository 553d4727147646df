package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.session.SessionIds;
import org.slf4j.MDC;

/**
 * The session id is in the MDC while the pipeline handles an event, and only then; a connection
 * unwritable for the send timeout is closed.
 */
class ConnectionGuardTest {

    /** Records the MDC session id each handler call runs under. */
    private static final class Seen extends ChannelInboundHandlerAdapter {
        final List<String> ids = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ids.add("active " + MDC.get(SessionIds.MDC_KEY));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ids.add("read " + MDC.get(SessionIds.MDC_KEY));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ids.add("exception " + MDC.get(SessionIds.MDC_KEY));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ids.add("event " + MDC.get(SessionIds.MDC_KEY));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ids.add("inactive " + MDC.get(SessionIds.MDC_KEY));
        }
    }

    private static ConnectionGuard guard(String sid) {
        return new ConnectionGuard(sid, Duration.ofSeconds(5));
    }

    @Test
    void everyInboundEventRunsUnderTheSessionId() {
        Seen seen = new Seen();
        EmbeddedChannel ch = new EmbeddedChannel(guard("abcd1234"), seen);
        ch.writeInbound("x");
        ch.pipeline().fireExceptionCaught(new IllegalStateException("test"));
        ch.pipeline().fireUserEventTriggered("idle");
        assertThat(MDC.get(SessionIds.MDC_KEY)).as("cleared after each event").isNull();
        ch.close();
        assertThat(seen.ids).containsExactly("active abcd1234", "read abcd1234", "exception abcd1234",
                "event abcd1234", "inactive abcd1234");
    }

    @Test
    void anOuterIdIsPutBack() {
        EmbeddedChannel ch = new EmbeddedChannel(guard("inner000"), new Seen());
        String outer = SessionIds.enter("outer000");
        try {
            ch.writeInbound("x");
            assertThat(MDC.get(SessionIds.MDC_KEY)).isEqualTo("outer000");
        } finally {
            SessionIds.exit(outer);
            ch.finishAndReleaseAll();
        }
    }

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(guard("test0000"));
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        return ch;
    }

    private static void queue(EmbeddedChannel ch, int bytes) {
        ch.write(Unpooled.wrappedBuffer(new byte[bytes])); // not flushed: the peer is not reading
    }

    @Test
    void aConnectionUnwritableForTheTimeoutIsClosed() {
        EmbeddedChannel ch = channel();
        queue(ch, 32);
        assertThat(ch.isWritable()).isFalse();
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("not yet").isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void drainingInTimeKeepsItOpenAndTheClockStartsAgain() {
        EmbeddedChannel ch = channel();
        queue(ch, 32);
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.flush(); // the peer read it all
        assertThat(ch.isWritable()).isTrue();
        queue(ch, 32);
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("unwritable for 4 s twice, never 5 s on end").isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
