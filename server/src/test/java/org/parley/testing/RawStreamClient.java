package org.parley.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.parley.auth.ScramClient;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Namespaces;

/**
 * A hand-driven XMPP client for input Smack will not produce. It writes XML text as given and
 * parses what the server sends with Parley's own stream decoder into {@link StreamHeader},
 * {@link Element} and {@link StreamEnd}, one item per {@link #next()}; {@code null} means the server
 * closed the connection. The parser restarts by itself after {@code <proceed/>} and SASL
 * {@code <success/>}, as a client's must.
 */
public final class RawStreamClient implements StanzaClient {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RawStreamReader reader = new RawStreamReader();
    private Socket socket;
    private OutputStream out;
    private boolean closed;
    private String jid;
    private Duration wait = WAIT;

    private RawStreamClient(Socket socket) throws IOException {
        use(socket);
    }

    /** A plain TCP connection, e.g. to the STARTTLS port. */
    public static RawStreamClient plain(int port) throws IOException {
        return new RawStreamClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** A connection that is TLS from the first byte (XEP-0368), trusting what {@code ctx} trusts. */
    public static RawStreamClient directTls(int port, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.startHandshake();
        return new RawStreamClient(s);
    }

    /**
     * Direct TLS to {@code server} from the local address {@code from} (any of 127.0.0.0/8 on
     * Linux), so a test can play clients at several addresses.
     */
    public static RawStreamClient directTlsFrom(TestServer server, InetAddress from) throws IOException {
        SSLSocket s = (SSLSocket) server.sslContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.directTlsPort(), from, 0);
        s.startHandshake();
        return new RawStreamClient(s);
    }

    /** Direct TLS to {@code server}, trusting exactly its certificate. */
    public static RawStreamClient directTls(TestServer server) throws IOException {
        return directTls(server.directTlsPort(), server.sslContext());
    }

    /** Connects over direct TLS, authenticates with SASL PLAIN and binds {@code resource}: ready for stanzas. */
    public static RawStreamClient loggedIn(TestServer server, String username, String password, String resource)
            throws IOException {
        RawStreamClient c = directTls(server);
        c.openAndReadFeatures(TestServer.DOMAIN);
        c.requireSuccess(c.authPlain(username, password));
        c.restart(TestServer.DOMAIN);
        c.bindOrFail(resource);
        return c;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.out = s.getOutputStream();
        reader.start(s.getInputStream());
    }

    /** How long {@link #next} waits for the server (5 s unless set): longer for a server under a burst. */
    public RawStreamClient patience(Duration wait) {
        this.wait = wait;
        return this;
    }

    /** The full JID bound by {@link #login} or {@link #loggedIn}. */
    public String jid() {
        return jid;
    }

    /** Writes raw XML text. */
    @Override
    public RawStreamClient send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Writes raw bytes, which need not be UTF-8. */
    public RawStreamClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends, ignoring a connection the server has already closed (it may stop reading mid-write). */
    public void sendQuietly(String xml) {
        try {
            send(xml);
        } catch (IOException ignored) {
            // The reply, if any, has been read all the same.
        }
    }

    /** Sends a well-formed jabber:client stream header to {@code domain}. */
    public RawStreamClient open(String domain) throws IOException {
        return send("<?xml version='1.0'?><stream:stream xmlns='" + Namespaces.CLIENT + "' xmlns:stream='"
                + Namespaces.STREAMS + "' to='" + domain + "' version='1.0'>");
    }

    /** Opens a stream and reads the server's header and features. */
    public Element openAndReadFeatures(String domain) throws IOException {
        open(domain);
        header();
        return features();
    }

    /** Restarts the stream after SASL success and reads the new features. */
    public Element restart(String domain) throws IOException {
        return openAndReadFeatures(domain);
    }

    /** The next item from the server, or {@code null} once it has closed the connection. */
    public Object next() {
        if (closed) {
            return null;
        }
        Object item = reader.poll(wait);
        if (item == null) {
            throw new AssertionError("nothing from the server within " + wait.toMillis() + " ms");
        }
        closed = item == RawStreamReader.CLOSED;
        return closed ? null : item;
    }

    /** True when nothing arrives within {@code wait}; fails naming what came instead. */
    public boolean quietFor(Duration wait) {
        if (closed) {
            return true;
        }
        Object item = reader.poll(wait);
        if (item == null) {
            return true;
        }
        throw new AssertionError("expected nothing, got " + describe(item));
    }

    public StreamHeader header() {
        return expect(StreamHeader.class);
    }

    public Element element() {
        return expect(Element.class);
    }

    /** The next element, which must be {@code <stream:features/>}. */
    public Element features() {
        Element f = element();
        if (!f.is("features", Namespaces.STREAMS)) {
            throw new AssertionError("expected stream features, got " + f.toXml());
        }
        return f;
    }

    /** Waits for the first element matching, skipping others; fails if the stream ends first. */
    public Element expect(Predicate<Element> wanted, String what) {
        while (true) {
            Object item = next();
            if (item == null || item instanceof StreamEnd) {
                throw new AssertionError("the server ended the stream while we waited for " + what);
            }
            if (item instanceof Element e && wanted.test(e)) {
                return e;
            }
        }
    }

    /**
     * Expects the stream to end with an error (RFC 6120 §4.9): the {@code <stream:error/>}, then
     * the closing tag, then the closed connection. Returns the condition element's name; fails if
     * any stanza came first. A stream header before the error is skipped: the server sends its
     * own when it rejects the client's first one (§4.9.1.2).
     */
    public String expectStreamError() {
        Object item = next();
        while (item instanceof StreamHeader) {
            item = next();
        }
        if (!(item instanceof Element error) || !error.is("error", Namespaces.STREAMS)) {
            throw new AssertionError("expected a stream error, got " + describe(item));
        }
        Element condition = error.elementIn(Namespaces.STREAM_ERRORS);
        if (condition == null) {
            throw new AssertionError("stream error without a condition: " + error.toXml());
        }
        expectClosed();
        return condition.name();
    }

    /** Expects {@code </stream:stream>} and then the server closing the connection. */
    public void expectClosed() {
        expect(StreamEnd.class);
        Object after = next();
        if (after != null) {
            throw new AssertionError("expected the connection to close, got " + describe(after));
        }
    }

    private <T> T expect(Class<T> type) {
        Object item = next();
        if (!type.isInstance(item)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + describe(item));
        }
        return type.cast(item);
    }

    private static Object describe(Object item) {
        return item instanceof Element e ? e.toXml() : item;
    }

    /** The defined condition of a stanza error ({@code <error/>} child of a stanza), or null. */
    public static String stanzaErrorCondition(Element stanza) {
        Element error = stanza.element("error", Namespaces.CLIENT);
        Element condition = error == null ? null : error.elementIn(Namespaces.STANZA_ERRORS);
        return condition == null ? null : condition.name();
    }

    /** STARTTLS (RFC 6120 §5) on a plain connection whose features were read; returns the new features. */
    public Element startTls(SSLContext ctx, String domain) throws IOException {
        send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        Element proceed = element();
        if (!proceed.is("proceed", Namespaces.TLS)) {
            throw new AssertionError("expected <proceed/>, got " + proceed.toXml());
        }
        reader.awaitEnd(); // the reader stops at <proceed/>, leaving the handshake's bytes unread
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, domain, socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
        return openAndReadFeatures(domain);
    }

    /** SASL PLAIN with an initial response; returns the server's {@code <success/>} or {@code <failure/>}. */
    public Element authPlain(String username, String password) throws IOException {
        byte[] msg = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>" + Base64.getEncoder().encodeToString(msg) + "</auth>");
        return element();
    }

    /**
     * A full SCRAM exchange; returns the server's {@code <success/>} (whose server signature must
     * verify) or the {@code <failure/>} it answered with.
     */
    public Element authScram(String mechanism, String username, String password) throws IOException {
        return authScram(new ScramClient(mechanism, username, password), mechanism);
    }

    /** As {@link #authScram(String, String, String)}, with this client's SCRAM state (e.g. its salted passwords kept). */
    public Element authScram(ScramClient scram, String mechanism) throws IOException {
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='" + mechanism + "'>"
                + Base64.getEncoder().encodeToString(scram.clientFirst()) + "</auth>");
        Element challenge = element();
        if (!challenge.is("challenge", Namespaces.SASL)) {
            return challenge;
        }
        byte[] clientFinal = scram.clientFinal(Base64.getDecoder().decode(challenge.text().trim()));
        send("<response xmlns='" + Namespaces.SASL + "'>" + Base64.getEncoder().encodeToString(clientFinal) + "</response>");
        Element outcome = element();
        if (outcome.is("success", Namespaces.SASL)
                && !scram.verifyServerFinal(Base64.getDecoder().decode(outcome.text().trim()))) {
            throw new AssertionError("the server signature in <success/> does not verify");
        }
        return outcome;
    }

    /** Sends a bind request (no resource element if {@code resource} is null) and returns the reply IQ. */
    public Element bind(String resource) throws IOException {
        send("<iq type='set' id='bind-1'><bind xmlns='" + Namespaces.BIND + "'>"
                + (resource == null ? "" : "<resource>" + resource + "</resource>") + "</bind></iq>");
        return element();
    }

    /** Authenticates with SCRAM-SHA-256, restarts and binds {@code resource}; returns the bound JID. */
    public String login(String domain, String username, String password, String resource) throws IOException {
        requireSuccess(authScram("SCRAM-SHA-256", username, password));
        restart(domain);
        return bindOrFail(resource);
    }

    public void requireSuccess(Element outcome) {
        if (!outcome.is("success", Namespaces.SASL)) {
            throw new AssertionError("authentication failed: " + outcome.toXml());
        }
    }

    /** Binds {@code resource}, failing the test if the server refuses; returns the full JID. */
    public String bindOrFail(String resource) throws IOException {
        Element reply = bind(resource);
        if (!"result".equals(reply.attr("type"))) {
            throw new AssertionError("bind failed: " + reply.toXml());
        }
        jid = reply.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND);
        return jid;
    }

    @Override
    public void drop() {
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection; nothing to do
        }
        reader.close();
    }
}
