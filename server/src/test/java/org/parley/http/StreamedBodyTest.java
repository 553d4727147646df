package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamedBodyTest {
    private final AtomicInteger resumed = new AtomicInteger();
    private final StreamedBody body = new StreamedBody(-1, resumed::incrementAndGet);

    private static ByteBuf chunk(int size) {
        return Unpooled.wrappedBuffer(new byte[size]);
    }

    @Test
    void aFullWindowPausesAndDrainingBelowHalfResumesOnce() throws Exception {
        ByteBuf a = chunk(StreamedBody.WINDOW);
        body.offer(a);
        a.release();
        assertThat(body.wantsMore()).isFalse();
        assertThat(body.bufferedBytes()).isEqualTo(StreamedBody.WINDOW);

        InputStream in = body.stream();
        in.readNBytes(StreamedBody.WINDOW / 4);
        assertThat(resumed).hasValue(0);
        in.readNBytes(StreamedBody.WINDOW / 2);
        assertThat(resumed).hasValue(1);
        in.readNBytes(StreamedBody.WINDOW / 8);
        assertThat(resumed).as("only once per pause").hasValue(1);
        assertThat(a.refCnt()).isEqualTo(1);
    }

    @Test
    void theReaderSeesTheEndAndChunksAreReleased() throws Exception {
        ByteBuf a = Unpooled.wrappedBuffer(new byte[] {1, 2});
        body.offer(a);
        body.end();

        assertThat(body.stream().readAllBytes()).containsExactly(1, 2);
        assertThat(a.refCnt()).isEqualTo(1); // the body let its reference go
        a.release();
    }

    @Test
    void aFailureReachesTheReaderAndDropsWhatWasQueued() {
        ByteBuf a = chunk(10);
        body.offer(a);
        body.fail(new IOException("gone"));

        assertThat(a.refCnt()).isEqualTo(1);
        assertThatThrownBy(() -> body.stream().read()).isInstanceOf(IOException.class).hasMessage("gone");
        assertThat(body.bufferedBytes()).isZero();
        a.release();
    }

    @Test
    void closingTheStreamDropsWhatComesAfter() throws Exception {
        body.stream().close();
        ByteBuf a = chunk(10);
        body.offer(a);

        assertThat(a.refCnt()).isEqualTo(1);
        assertThat(body.wantsMore()).isTrue();
        a.release();
    }
}
