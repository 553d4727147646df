package org.parley.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;

/**
 * A hand-driven XMPP over BOSH client (XEP-0124, XEP-0206) on the JDK's HTTP client, as browsers
 * run it: one empty request always outstanding for the server to answer when it has something,
 * and each {@link #send} a request of its own, answered once the next empty one arrives. Every
 * payload of every answer is queued as one {@link Element}; a terminating answer ends the queue.
 */
public final class BoshClient implements StanzaClient {
    public static final String NS = "http://jabber.org/protocol/httpbind";
    public static final String XBOSH = "urn:xmpp:xbosh";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI url;
    private final ElementQueue received = new ElementQueue(WAIT);
    private final AtomicLong rid = new AtomicLong(1_000_000 + (long) (Math.random() * 1_000_000));
    private final Object sending = new Object();
    private volatile String sid;
    private volatile boolean stopped;
    private volatile boolean paused;
    private volatile Element terminate;
    /** Guards the answers taken in rid order. */
    private final Object order = new Object();
    private final TreeMap<Long, Element> answers = new TreeMap<>();
    private long nextAnswer;
    private static final Element NO_ANSWER = XmlStrings.parse("<none/>");
    private Thread poller;
    private String jid;

    private BoshClient(URI url) {
        this.url = url;
    }

    /** The {@code /http-bind} URL on the server's plain HTTP port. */
    public static URI url(TestServer server) {
        return URI.create("http://127.0.0.1:" + server.server().httpPort() + "/http-bind");
    }

    /** Creates a session (hold 1, wait 10 s) and reads its stream features; the poller then keeps a request held. */
    public static BoshClient connect(TestServer server) throws IOException {
        BoshClient c = new BoshClient(url(server));
        long first = c.rid.getAndIncrement();
        Element created = c.post("<body xmlns='" + NS + "' xmlns:xmpp='" + XBOSH + "' rid='" + first
                + "' to='" + TestServer.DOMAIN + "' hold='1' wait='10' xmpp:version='1.0' xml:lang='en' ack='1'/>");
        c.sid = created.attr("sid");
        if (c.sid == null) {
            throw new AssertionError("no session: " + created.toXml());
        }
        c.nextAnswer = first;
        c.take(first, created);
        c.poller = Thread.ofVirtual().name("bosh-poller").start(c::poll);
        return c;
    }

    /** Connects, authenticates with SASL PLAIN and restarts the stream: where a client binds or resumes. */
    public static BoshClient authenticated(TestServer server, String username, String password) throws IOException {
        BoshClient c = connect(server);
        c.expect(e -> e.is("features", Namespaces.STREAMS), "stream features");
        byte[] plain = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        c.send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>" + Base64.getEncoder().encodeToString(plain)
                + "</auth>");
        Element outcome = c.element();
        if (!outcome.is("success", Namespaces.SASL)) {
            throw new AssertionError("authentication failed: " + outcome.toXml());
        }
        c.sendBody("xmpp:restart='true' to='" + TestServer.DOMAIN + "'", "");
        c.expect(e -> e.is("features", Namespaces.STREAMS), "stream features after the restart");
        return c;
    }

    /** Connects, authenticates with SASL PLAIN and binds {@code resource}. */
    public static BoshClient loggedIn(TestServer server, String username, String password, String resource)
            throws IOException {
        BoshClient c = authenticated(server, username, password);
        c.send("<iq type='set' id='bind-1' xmlns='jabber:client'><bind xmlns='" + Namespaces.BIND + "'><resource>"
                + resource + "</resource></bind></iq>");
        Element bound = c.expect(e -> "bind-1".equals(e.attr("id")), "the bind result");
        if (!"result".equals(bound.attr("type"))) {
            throw new AssertionError("bind failed: " + bound.toXml());
        }
        c.jid = bound.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND);
        return c;
    }

    /** Posts one body as it is and returns the server's answer, parsed. */
    public Element post(String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
            }
            return XmlStrings.parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The session's id. */
    public String sid() {
        return sid;
    }

    /** The next rid this client will use. */
    public long nextRid() {
        return rid.get();
    }

    /** The terminating answer, once one came. */
    public Element terminate() {
        return terminate;
    }

    private void poll() {
        while (!stopped) {
            if (!awaitUnpaused()) {
                return;
            }
            long r = rid.getAndIncrement();
            try {
                take(r, post("<body xmlns='" + NS + "' sid='" + sid + "' rid='" + r + "'/>"));
            } catch (IOException e) {
                take(r, null);
                if (!stopped) {
                    received.end();
                }
                return;
            }
        }
    }

    /**
     * Takes the answer to request {@code rid} (null: the request failed and has none) in rid order,
     * as XEP-0124 §14.2 requires of clients: an answer waits until those to earlier requests are
     * taken. So when the session ends while two requests are out, the answer that ended it (the
     * earlier request's) is taken before any later request's, which may be item-not-found.
     */
    private void take(long requestRid, Element answer) {
        synchronized (order) {
            answers.put(requestRid, answer == null ? NO_ANSWER : answer);
            for (Element a; (a = answers.remove(nextAnswer)) != null; nextAnswer++) {
                if (a != NO_ANSWER) {
                    take(a);
                }
            }
            order.notifyAll();
        }
    }

    /** Waits until the answers up to request {@code requestRid} are taken (or the session is over). */
    private void awaitTaken(long requestRid) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        synchronized (order) {
            while (nextAnswer <= requestRid && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no answer to the requests before rid " + requestRid);
                }
                try {
                    order.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }

    /** Queues an answer's payloads; a terminating answer stops the client. In rid order. */
    private void take(Element answer) {
        if (stopped) {
            return; // the session is over: a later request may have crossed its end (item-not-found)
        }
        answer.elements().forEach(received::add);
        if ("terminate".equals(answer.attr("type"))) {
            terminate = answer;
            stopped = true;
            received.end();
        }
    }

    /** Sends {@code payload} in a body with {@code attributes} (raw text) and queues what its answer carries. */
    public BoshClient sendBody(String attributes, String payload) throws IOException {
        synchronized (sending) { // one request of our own at a time: with the poller's, two outstanding
            long r = rid.getAndIncrement();
            Element answer;
            try {
                answer = post("<body xmlns='" + NS + "' xmlns:xmpp='" + XBOSH + "' sid='" + sid + "' rid='" + r + "' "
                        + attributes + ">" + payload + "</body>");
            } catch (IOException e) {
                take(r, null);
                throw e;
            }
            take(r, answer);
            awaitTaken(r);
        }
        return this;
    }

    @Override
    public BoshClient send(String xml) throws IOException {
        return sendBody("", xml);
    }

    /** The next payload, or null once the session ended. */
    public Element next() {
        return received.next();
    }

    @Override
    public Element element() {
        Element e = next();
        if (e == null) {
            throw new AssertionError("the session ended while we waited for an element: "
                    + (terminate == null ? "" : terminate.toXml()));
        }
        return e;
    }

    @Override
    public Element expect(Predicate<Element> wanted, String what) {
        while (true) {
            Element e = next();
            if (e == null) {
                throw new AssertionError("the session ended while we waited for " + what + ": "
                        + (terminate == null ? "" : terminate.toXml()));
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

    @Override
    public String jid() {
        return jid;
    }

    /** Stops sending requests, as a browser tab that lost its network: the server's inactivity timer takes over. */
    @Override
    public void drop() {
        stopped = true;
        poller.interrupt();
        http.shutdownNow();
    }

    /**
     * Pauses the session for {@code seconds} (XEP-0124 §10): the server answers every request it
     * holds, and this client sends none until {@link #resume}, as a web page that reloads.
     */
    public void pause(long seconds) throws IOException {
        paused = true;
        sendBody("pause='" + seconds + "'", "");
    }

    /** Ends a {@link #pause}: requests go out again, and the server's usual inactivity applies again. */
    public void resume() {
        synchronized (order) {
            paused = false;
            order.notifyAll();
        }
    }

    /** Waits while paused; false once the client stopped. */
    private boolean awaitUnpaused() {
        synchronized (order) {
            while (paused && !stopped) {
                try {
                    order.wait(100);
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }
        return !stopped;
    }

    /** Ends the session with a terminate request (§13). */
    @Override
    public void close() {
        if (!stopped) {
            try {
                sendBody("type='terminate'", "<presence xmlns='jabber:client' type='unavailable'/>");
            } catch (IOException ignored) {
                // the session may be gone already
            }
        }
        drop();
    }
}
