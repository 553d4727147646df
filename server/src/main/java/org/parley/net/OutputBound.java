package org.parley.net;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * c2s.maxPendingOutputBytes for one client connection, whatever its transport: once more bytes
 * wait to be written to the client (encoded, in TLS's queue or the socket's outbound buffer) than
 * the bound, the client counts as gone and the connection is dropped, as a network failure would
 * drop it. Netty itself queues everything written to a channel that stopped reading, whatever its
 * writability. Thread-safe: the pending count read is the channel's volatile one.
 */
final class OutputBound {
    private static final Logger log = LoggerFactory.getLogger(OutputBound.class);

    private final long max;
    private volatile boolean overflowed;

    OutputBound(long max) {
        this.max = max;
    }

    long max() {
        return max;
    }

    /** Bytes waiting to be written to the channel's client: encoded, in TLS's queue or the socket's outbound buffer. */
    static long pending(Channel channel) {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Whether the client is further behind than the bound allows, counting {@code queued} bytes
     * waiting behind a paced burst, and what waits in the channel's buffers unless
     * {@code burstOnly} (they hold the burst's chunk then); the first to see it drops the connection.
     */
    boolean exceeded(Channel channel, long queued, boolean burstOnly) {
        return overflowed || over(channel, burstOnly ? queued : pending(channel) + queued);
    }

    private boolean over(Channel channel, long pending) {
        if (pending <= max) {
            return false;
        }
        overflowed = true;
        log.info("{} bytes waiting for {}, more than c2s.maxPendingOutputBytes; dropping the connection",
                pending, channel.remoteAddress());
        ConnectionGuard.closeNow(channel);
        return true;
    }

    /** Whether the bound was passed: nothing more is written. */
    boolean overflowed() {
        return overflowed;
    }
}
