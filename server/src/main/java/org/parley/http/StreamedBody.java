package org.parley.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request body handed from the event loop to the handler's thread as it arrives. The event loop
 * offers chunks and asks {@link #wantsMore()} before it reads the socket again; past
 * {@link #WINDOW} bytes unread by the handler it stops, and the handler's next read that drains
 * the window below half resumes it. What one request holds is thus the window plus one socket read,
 * whatever the body's size (the chunks are slices of Netty's read buffers, so those stay pinned
 * while a chunk is queued: also within a few reads).
 */
final class StreamedBody implements RequestBody {
    /** Unread bytes past which the connection stops reading. */
    static final int WINDOW = 128 * 1024;

    private final long declaredLength;
    private final Runnable resume;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final InputStream input = new Input();
    private long buffered;
    private boolean ended;
    private boolean abandoned; // the handler closed the stream: what comes is dropped
    private boolean paused;
    private IOException failure;

    /**
     * @param resume asks the event loop to read again; called on the handler's thread once the
     *        window has drained after {@link #wantsMore()} said no
     */
    StreamedBody(long declaredLength, Runnable resume) {
        this.declaredLength = declaredLength;
        this.resume = resume;
    }

    // ---- event loop side ----

    /** Queues a chunk (the body takes its own reference). */
    void offer(ByteBuf chunk) {
        if (!chunk.isReadable()) {
            return;
        }
        lock.lock();
        try {
            if (abandoned || failure != null) {
                return;
            }
            chunks.add(chunk.retain());
            buffered += chunk.readableBytes();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The body will not complete: the reader gets {@code failure}, queued chunks are dropped. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (ended && chunks.isEmpty() || failure != null) {
                return;
            }
            failure = cause;
            dropChunks();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True when the window has room for another read; otherwise the handler's reads resume it. */
    boolean wantsMore() {
        lock.lock();
        try {
            if (buffered < WINDOW || abandoned) {
                return true;
            }
            paused = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ---- handler side ----

    @Override
    public long length() {
        return declaredLength;
    }

    @Override
    public byte[] bytes() {
        throw new IllegalStateException("the body of a streamed route is read with stream()");
    }

    @Override
    public InputStream stream() {
        return input;
    }

    @Override
    public long bufferedBytes() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    private void dropChunks() {
        for (ByteBuf b : chunks) {
            b.release();
        }
        chunks.clear();
        buffered = 0;
    }

    /** Called with the lock held after bytes were taken; true when the caller must resume reading. */
    private boolean drained() {
        if (paused && buffered < WINDOW / 2) {
            paused = false;
            return true;
        }
        return false;
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            boolean wake;
            int n;
            lock.lock();
            try {
                while (chunks.isEmpty() && !ended && failure == null && !abandoned) {
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading a request body");
                    }
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                if (chunks.isEmpty()) {
                    return -1;
                }
                ByteBuf head = chunks.peek();
                n = Math.min(len, head.readableBytes());
                head.readBytes(b, off, n);
                if (!head.isReadable()) {
                    chunks.poll().release();
                }
                buffered -= n;
                wake = drained();
            } finally {
                lock.unlock();
            }
            if (wake) {
                resume.run();
            }
            return n;
        }

        @Override
        public int available() {
            lock.lock();
            try {
                return (int) Math.min(Integer.MAX_VALUE, buffered);
            } finally {
                lock.unlock();
            }
        }

        /** The handler wants no more: later chunks are dropped as they come. */
        @Override
        public void close() {
            boolean wake;
            lock.lock();
            try {
                abandoned = true;
                dropChunks();
                wake = paused;
                paused = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (wake) {
                resume.run();
            }
        }
    }
}
