package org.parley.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a streamed response as an {@link OutputStream} for the writer's virtual thread:
 * each write becomes one HTTP content chunk, and a write waits while the channel is not writable
 * (more than Netty's high water mark queued), so a client that reads slowly slows the writer
 * instead of filling memory. A client that stops reading altogether is dropped by the send
 * timeout, which fails the waiting write.
 */
final class ChannelOutputStream extends OutputStream {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private volatile long written;

    ChannelOutputStream(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        awaitWritable();
        ByteBuf chunk = channel.alloc().buffer(len).writeBytes(b, off, len);
        channel.writeAndFlush(new DefaultHttpContent(chunk));
        written += len;
    }

    /** Bytes written so far (by the one writer thread). */
    long written() {
        return written;
    }

    private void awaitWritable() throws IOException {
        lock.lock();
        try {
            // Re-checked every 100 ms as well: a change signalled between the check and the wait is not lost for long.
            while (channel.isActive() && !channel.isWritable()) {
                writable.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing a response");
        } finally {
            lock.unlock();
        }
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
    }

    /** Called on the event loop when the channel's writability changes or it closes. */
    void wake() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
