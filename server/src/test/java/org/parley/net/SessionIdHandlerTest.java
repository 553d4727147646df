package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.session.SessionIds;
import org.slf4j.MDC;

/** The session id is in the MDC while the pipeline handles an event, and only then. */
class SessionIdHandlerTest {

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

    @Test
    void everyInboundEventRunsUnderTheSessionId() {
        Seen seen = new Seen();
        EmbeddedChannel ch = new EmbeddedChannel(new SessionIdHandler("abcd1234"), seen);
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
        EmbeddedChannel ch = new EmbeddedChannel(new SessionIdHandler("inner000"), new Seen());
        String outer = SessionIds.enter("outer000");
        try {
            ch.writeInbound("x");
            assertThat(MDC.get(SessionIds.MDC_KEY)).isEqualTo("outer000");
        } finally {
            SessionIds.exit(outer);
            ch.finishAndReleaseAll();
        }
    }
}
