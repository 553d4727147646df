package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendTimeoutHandlerTest {

    private static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(new SendTimeoutHandler(Duration.ofSeconds(5), "test"));
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
