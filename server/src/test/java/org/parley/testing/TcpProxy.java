package org.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder whose link can be cut and restored, to make a service (PostgreSQL,
 * Redis) unreachable for one server under test without stopping it for everyone else.
 * {@link #cut()} resets every forwarded connection and refuses new ones; {@link #restore()}
 * listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final java.util.function.IntSupplier targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    /** While set, nothing is forwarded from the target to the clients (see {@link #hold}). */
    private volatile boolean held;
    /** Added before each piece the target sends is forwarded (see {@link #latency}). */
    private volatile long latencyNanos;

    public TcpProxy(int targetPort) throws IOException {
        this(() -> targetPort);
    }

    /** A forwarder that asks {@code targetPort} at each new connection: a load balancer whose backend can change. */
    public TcpProxy(java.util.function.IntSupplier targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public int port() {
        return port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void accept(ServerSocket server) {
        Thread.ofVirtual().name("tcp-proxy-accept").start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort.getAsInt());
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream, false);
                    pump(upstream, client, true);
                } catch (IOException e) {
                    // closed by cut() or close(), or the target refused: the client sees a reset
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean toClient) {
        Thread.ofVirtual().name("tcp-proxy-pump").start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (toClient && held && !to.isClosed()) {
                        Thread.sleep(5);
                    }
                    long latency = latencyNanos;
                    if (toClient && latency > 0) {
                        Thread.sleep(java.time.Duration.ofNanos(latency));
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side went away; the finally closes the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /**
     * Stops forwarding what the target sends to the clients (the other way goes on), as a client
     * that stopped reading: the target's writes end in the socket buffers and the client
     * acknowledges nothing. {@code false} forwards again.
     */
    public void hold(boolean hold) {
        held = hold;
    }

    /**
     * Delays every answer of the target by {@code latency}: a database that takes that long per
     * round trip, as one farther away or busier does.
     */
    public void latency(java.time.Duration latency) {
        latencyNanos = latency.toNanos();
    }

    /** Drops every forwarded connection and refuses new ones. */
    public synchronized void cut() {
        closeQuietly(listener);
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // RST, as when a host goes away
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    /** Accepts and forwards again, on the same port. */
    public synchronized void restore() throws IOException {
        listener = listen(port);
        accept(listener);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        cut();
    }
}
