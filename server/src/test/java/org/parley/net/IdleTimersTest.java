package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdleTimersTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<IdleStateEvent> events = new ArrayList<>();
    private final List<Boolean> voidPromises = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void start() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast("head-side", new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                voidPromises.add(promise.isVoid());
                ctx.write(msg, promise);
            }
        });
        channel.pipeline().addLast("idle", new IdleTimers(30_000, 60_000, now::get));
        channel.pipeline().addLast("events", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent e) {
                    events.add(e);
                }
            }
        });
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private void write(String s) {
        channel.writeAndFlush(Unpooled.copiedBuffer(s.getBytes()), channel.voidPromise());
        channel.releaseOutbound();
    }

    @Test
    void aWriteKeepsItsVoidPromise() {
        write("<message/>");
        assertThat(voidPromises).as("no promise and listener made per write for the writer timer").containsExactly(true);
    }

    @Test
    void quietOutputIsReportedEveryInterval() {
        advance(59);
        write("x");
        advance(59);
        assertThat(events).as("a write within the interval puts the writer's event off")
                .noneMatch(e -> e.state() == IdleState.WRITER_IDLE);
        advance(1);
        assertThat(events).filteredOn(e -> e.state() == IdleState.WRITER_IDLE)
                .containsExactly(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        advance(60);
        assertThat(events).filteredOn(e -> e.state() == IdleState.WRITER_IDLE)
                .containsExactly(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT, IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        write("x");
        advance(60);
        assertThat(events).filteredOn(e -> e.state() == IdleState.WRITER_IDLE)
                .as("output again: the next quiet interval is a first one")
                .containsExactly(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT, IdleStateEvent.WRITER_IDLE_STATE_EVENT,
                        IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
    }

    @Test
    void aClosedConnectionHasNoTimers() {
        channel.close();
        advance(120);
        assertThat(events).isEmpty();
    }
}
