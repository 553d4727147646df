package org.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLSocket;

/**
 * A bare-hands XMPP client on the direct TLS port, for what Smack will not do: stay silent,
 * ignore pings, watch the raw bytes. Everything the server sends is kept as text; tests wait
 * for a substring to appear after a moving mark, so each expectation reads the next part of the
 * stream only once.
 */
public final class RawTextClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final StringBuilder received = new StringBuilder();
    private final Thread reader;
    private boolean closedByServer;
    private int mark;

    private RawTextClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.reader = Thread.ofVirtual().start(() -> read(in));
    }

    /** A TLS connection to the server's direct TLS port, handshake done, nothing sent yet. */
    public static RawTextClient connect(TestServer server) throws IOException {
        SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.directTlsPort());
        s.startHandshake();
        return new RawTextClient(s);
    }

    /** Connects, authenticates with PLAIN and binds {@code resource}; the mark is after the bind result. */
    public static RawTextClient login(TestServer server, String user, String password, String resource)
            throws IOException {
        RawTextClient c = connect(server);
        c.openStream();
        c.expect("</stream:features>");
        String creds = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + creds + "</auth>");
        c.expect("<success");
        c.openStream();
        c.expect("</stream:features>");
        c.send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>");
        c.expect("</iq>");
        return c;
    }

    /** Sends the client's stream header for the test domain. */
    public void openStream() throws IOException {
        send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                + " to='" + TestServer.DOMAIN + "' version='1.0'>");
    }

    public void send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Waits for {@code needle} after the mark and moves the mark past it.
     *
     * @return the text from the old mark up to and including the needle
     * @throws AssertionError when it does not arrive in five seconds
     */
    public String expect(String needle) {
        return expect(needle, Duration.ofSeconds(5));
    }

    public synchronized String expect(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int at;
        while ((at = received.indexOf(needle, mark)) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || (closedByServer && received.indexOf(needle, mark) < 0)) {
                throw new AssertionError("expected " + needle + " but got: " + received.substring(mark)
                        + (closedByServer ? " (connection closed)" : ""));
            }
            waitNanos(left);
        }
        String part = received.substring(mark, at + needle.length());
        mark = at + needle.length();
        return part;
    }

    /** Like {@link #expect(String, Duration)}, but null when the needle does not come in time or the stream ends. */
    public synchronized String poll(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int at;
        while ((at = received.indexOf(needle, mark)) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closedByServer) {
                return null;
            }
            waitNanos(left);
        }
        String part = received.substring(mark, at + needle.length());
        mark = at + needle.length();
        return part;
    }

    /** Waits until the server closes the connection; returns everything after the mark. */
    public synchronized String awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closedByServer) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("connection still open; got: " + received.substring(mark));
            }
            waitNanos(left);
        }
        String rest = received.substring(mark);
        mark = received.length();
        return rest;
    }

    /** Everything received after the mark, waiting {@code duration} first; moves the mark to the end. */
    public synchronized String collect(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            waitNanos(left);
        }
        String rest = received.substring(mark);
        mark = received.length();
        return rest;
    }

    public synchronized boolean isClosedByServer() {
        return closedByServer;
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void read(InputStream in) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                // Test traffic is ASCII apart from text we do not split-check; decode per read.
                String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                synchronized (this) {
                    received.append(s);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // a reset or our own close: either way the stream is over
        }
        synchronized (this) {
            closedByServer = true;
            notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
