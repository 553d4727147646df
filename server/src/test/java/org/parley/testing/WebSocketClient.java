package org.parley.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;

/**
 * A hand-driven XMPP over WebSocket client (RFC 7395) on the JDK's WebSocket: each text message
 * it receives is parsed into one {@link Element} ({@code <open/>} and {@code <close/>} included,
 * in the framing namespace), and {@link #send} writes one message. Smack 4.4.8 has no WebSocket
 * transport, so the WebSocket scenarios drive the protocol by hand.
 */
public final class WebSocketClient implements StanzaClient {
    public static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** The first handshake of a cold JVM on a loaded machine took over 5 s (a test's first connection). */
    private static final Duration HANDSHAKE = Duration.ofSeconds(15);

    private final ElementQueue received = new ElementQueue(WAIT);
    private final WebSocket socket;
    private volatile int closeStatus = -1;
    /** What broke the connection, if it did not close with the closing handshake. */
    private volatile Throwable broken;
    private String jid;

    private WebSocketClient(URI uri, String origin, String subprotocol, SSLContext tls) {
        HttpClient http = tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
        var builder = http.newWebSocketBuilder().connectTimeout(HANDSHAKE);
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        try {
            socket = builder.buildAsync(uri, new Listener()).get(HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no WebSocket handshake with " + uri, e);
        }
    }

    /** The {@code /xmpp-websocket} URL on the server's plain HTTP port. */
    public static URI url(TestServer server) {
        return url(server.server());
    }

    /** The {@code /xmpp-websocket} URL on a server's plain HTTP port (a cluster node's, say). */
    public static URI url(org.parley.Server server) {
        return URI.create("ws://127.0.0.1:" + server.httpPort() + "/xmpp-websocket");
    }

    /** Connects with the xmpp subprotocol and no Origin (not a browser). */
    public static WebSocketClient connect(TestServer server) {
        return new WebSocketClient(url(server), null, "xmpp", null);
    }

    /** Connects to a {@code wss://} URL of {@code server}, trusting its certificate. */
    public static WebSocketClient connectTls(TestServer server, URI uri) {
        return new WebSocketClient(uri, null, "xmpp", server.sslContext());
    }

    /** Connects as a browser at {@code origin} would, asking for {@code subprotocol} (null for none). */
    public static WebSocketClient connect(URI uri, String origin, String subprotocol) {
        return new WebSocketClient(uri, origin, subprotocol, null);
    }

    /** Connects, authenticates with SASL PLAIN and binds {@code resource}. */
    public static WebSocketClient loggedIn(TestServer server, String username, String password, String resource)
            throws IOException {
        return loggedIn(url(server), username, password, resource);
    }

    /** Connects to {@code url}, authenticates with SASL PLAIN and binds {@code resource}. */
    public static WebSocketClient loggedIn(URI url, String username, String password, String resource)
            throws IOException {
        WebSocketClient c = authenticated(url, username, password);
        c.bind(resource);
        return c;
    }

    /** Connects, authenticates with SASL PLAIN and reopens the stream: where a client binds or resumes. */
    public static WebSocketClient authenticated(TestServer server, String username, String password)
            throws IOException {
        return authenticated(url(server), username, password);
    }

    private static WebSocketClient authenticated(URI url, String username, String password) throws IOException {
        WebSocketClient c = new WebSocketClient(url, null, "xmpp", null);
        c.openAndReadFeatures(TestServer.DOMAIN);
        byte[] plain = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        c.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>" + Base64.getEncoder().encodeToString(plain)
                + "</auth>");
        Element outcome = c.element();
        if (!outcome.is("success", Namespaces.SASL)) {
            throw new AssertionError("authentication failed: " + outcome.toXml());
        }
        c.openAndReadFeatures(TestServer.DOMAIN);
        return c;
    }

    /** Binds {@code resource}; returns the full JID. */
    public String bind(String resource) throws IOException {
        send("<iq type='set' id='bind-1' xmlns='jabber:client'><bind xmlns='" + Namespaces.BIND + "'><resource>"
                + resource + "</resource></bind></iq>");
        Element bound = element();
        if (!"result".equals(bound.attr("type"))) {
            throw new AssertionError("bind failed: " + bound.toXml());
        }
        jid = bound.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND);
        return jid;
    }

    /** Sends {@code <open/>} to {@code domain}, expects the server's and then its features. */
    public Element openAndReadFeatures(String domain) throws IOException {
        send("<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>");
        Element open = element();
        if (!open.is("open", FRAMING)) {
            throw new AssertionError("expected <open/>, got " + open.toXml());
        }
        Element features = element();
        if (!features.is("features", Namespaces.STREAMS)) {
            throw new AssertionError("expected stream features, got " + features.toXml());
        }
        return features;
    }

    @Override
    public WebSocketClient send(String xml) throws IOException {
        try {
            socket.sendText(xml, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("could not send", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException("could not send", e);
        }
        return this;
    }

    /** The next message, or null once the server closed. */
    public Element next() {
        return received.next();
    }

    @Override
    public Element element() {
        Element e = next();
        if (e == null) {
            throw new AssertionError("the server closed while we waited for an element"
                    + (broken == null ? " (close status " + closeStatus + ")" : ": the connection broke"), broken);
        }
        return e;
    }

    @Override
    public Element expect(Predicate<Element> wanted, String what) {
        while (true) {
            Element e = next();
            if (e == null || e.is("close", FRAMING)) {
                throw new AssertionError("the server ended the stream while we waited for " + what);
            }
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    @Override
    public boolean quietFor(Duration wait) {
        return received.quietFor(wait);
    }

    /**
     * Expects the stream to end with an error (RFC 7395 §3.6.1): {@code <stream:error/>}, then
     * {@code <close/>}, then the WebSocket's close. Returns the condition's name.
     */
    public String expectStreamError() {
        Element error = element();
        while (error.is("open", FRAMING)) {
            error = element();
        }
        if (!error.is("error", Namespaces.STREAMS)) {
            throw new AssertionError("expected a stream error, got " + error.toXml());
        }
        Element condition = error.elementIn(Namespaces.STREAM_ERRORS);
        expectClosed();
        return condition.name();
    }

    /** Expects {@code <close/>} and then the WebSocket's closing. */
    public void expectClosed() {
        Element close = element();
        if (!close.is("close", FRAMING)) {
            throw new AssertionError("expected <close/>, got " + close.toXml());
        }
        if (next() != null) {
            throw new AssertionError("expected the WebSocket to close");
        }
    }

    /** The status of the server's closing frame, or -1 before one came. */
    public int closeStatus() {
        return closeStatus;
    }

    @Override
    public String jid() {
        return jid;
    }

    @Override
    public void drop() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(XmlStrings.parse(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeStatus = statusCode;
            received.end();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            broken = error;
            received.end();
        }
    }
}
