package org.parley.net;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.c2s.C2sSession;
import org.parley.c2s.InboundBudget;
import org.parley.c2s.SessionServices;
import org.parley.c2s.StreamInput;
import org.parley.config.BoshSettings;
import org.parley.config.Config;
import org.parley.http.HttpRoutes;
import org.parley.http.Request;
import org.parley.http.Response;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;

/**
 * XMPP over BOSH (XEP-0124 1.11, XEP-0206 1.4) at {@value #PATH} on the HTTP listener. A request
 * without {@code sid} creates a session — a {@link BoshConnection} carrying a {@link C2sSession},
 * as a WebSocket or TCP connection does, so everything from SASL up is the TCP stream's — and is
 * answered with the session's attributes and the stream features; later requests carry payloads
 * to the stream, restarts and the terminate, and are held until there is something to send.
 * Browsers' {@code Origin} is checked against {@code bosh.allowedOrigins} and answered with CORS
 * headers (a cross-origin POST of {@code text/xml} is preflighted with OPTIONS).
 *
 * <p>Each request runs on its own virtual thread, which waits while its request is held.
 */
public final class BoshEndpoint {
    public static final String PATH = "/http-bind";
    private static final int SID_BYTES = 16;

    private final SessionServices services;
    private final BoshSettings settings;
    private final AsyncXMLInputFactory parsers = XmlStreamDecoder.secureFactory();
    private final Map<String, BoshConnection> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private BoshEndpoint(SessionServices services) {
        this.services = services;
        this.settings = services.config().bosh();
    }

    /** Adds {@value #PATH} to {@code routes} when {@code bosh.enabled}; returns whether it did. */
    public static boolean install(HttpRoutes routes, SessionServices services) {
        if (!services.config().bosh().enabled()) {
            return false;
        }
        BoshEndpoint endpoint = new BoshEndpoint(services);
        routes.route(HttpMethod.POST, PATH, endpoint::handle);
        routes.route(HttpMethod.OPTIONS, PATH, endpoint::preflight);
        return true;
    }

    private Response preflight(Request request) {
        String origin = request.header(HttpHeaderNames.ORIGIN);
        if (!settings.allows(origin)) {
            return forbidden();
        }
        return cors(origin, Response.empty(HttpResponseStatus.NO_CONTENT))
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS")
                .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type")
                .header(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
    }

    private static Response forbidden() {
        return Response.error(HttpResponseStatus.FORBIDDEN, "origin-not-allowed",
                "this origin may not use BOSH (bosh.allowedOrigins)");
    }

    /** The answer for a browser: the origin may read it (only allowed origins get this far). */
    private static Response cors(String origin, Response response) {
        return origin == null ? response : response.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .header(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }

    private Response handle(Request request) throws InterruptedException {
        String origin = request.header(HttpHeaderNames.ORIGIN);
        if (!settings.allows(origin)) {
            return forbidden();
        }
        String answer;
        try {
            Element body = BoshBody.parse(request.body().bytes(), services.config().limits().maxDepth(), parsers);
            answer = body.attr("sid") == null ? create(body, request) : next(body, request, request.body().bytes().length);
        } catch (BoshBody.Malformed e) {
            answer = BoshBody.terminate("bad-request");
        }
        return cors(origin, Response.text(HttpResponseStatus.OK, BoshBody.CONTENT_TYPE, answer));
    }

    /** A session creation request (§7.1, XEP-0206 §3). */
    private String create(Element body, Request request) throws InterruptedException {
        long rid = BoshBody.number(body, "rid", -1);
        if (rid < 0 || body.attr("to") == null) {
            return BoshBody.terminate("bad-request");
        }
        if (!services.serverJid().equals(Jid.parseOrNull(body.attr("to")))) {
            return BoshBody.terminate("host-unknown");
        }
        Config config = services.config();
        long maxWait = settings.maxWait().toSeconds();
        long wait = BoshBody.number(body, "wait", maxWait);
        long hold = BoshBody.number(body, "hold", 1);
        if (wait < 0 || hold < 0) {
            return BoshBody.terminate("bad-request");
        }
        int held = (int) Math.min(hold, settings.maxHold());
        BoshConnection.Terms terms = new BoshConnection.Terms(Math.max(1, Math.min(wait, maxWait)), held, held + 1,
                settings.inactivity().toSeconds(), settings.polling().toSeconds(), settings.maxPause().toSeconds(),
                "1".equals(body.attr("ack")),
                config.c2s().maxPendingOutputBytes(), config.limits().maxStanzaBytes(),
                InboundRates.Limits.of(config.c2s()));
        String sid = newSid();
        boolean secure = WebSocketEndpoint.secure(request);
        BoshConnection connection = new BoshConnection(sid, terms, services.serverJid(), request.remoteAddress(),
                secure, rid, services.executor(), services.scheduler(), () -> sessions.remove(sid));
        sessions.put(sid, connection);
        C2sSession session = new C2sSession(services, connection);
        connection.attach(session);
        session.header(connection, header(body, false));
        return await(connection, connection.creation(), request);
    }

    private String newSid() {
        byte[] bytes = new byte[SID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Any later request of a session. */
    private String next(Element body, Request request, int bytes) throws InterruptedException {
        BoshConnection connection = sessions.get(body.attr("sid"));
        if (connection == null) {
            return BoshBody.terminate("item-not-found"); // §17.2: no such session (any more)
        }
        long rid = BoshBody.number(body, "rid", -1);
        if (rid < 0) {
            return BoshBody.terminate("bad-request");
        }
        // As a TCP connection stops being read: past its rates a client's request waits before it is
        // taken in, and one held back too long ends with policy-violation.
        long pause = connection.shape(bytes, body.elements().size());
        if (connection.abusive()) {
            connection.input().failed(connection, StreamError.of(StreamError.Condition.POLICY_VIOLATION,
                    "sending too fast for too long"));
        } else if (pause > 0) {
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(pause) + 1, connection.waitFor().toMillis()));
        }
        caughtUp(connection.input(), connection.waitFor().toMillis());
        return await(connection, connection.request(body, rid), request);
    }

    /**
     * Waits while the session has more input queued than {@code c2s.maxQueuedStanzas}, or has some
     * while the server's is over {@code c2s.maxQueuedBytes}: as a TCP connection stops being read,
     * this request is not taken in until then (or {@code maxMillis}).
     */
    private void caughtUp(StreamInput input, long maxMillis) throws InterruptedException {
        int backlog = input.backlog();
        InboundBudget budget = services.inbound();
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (backlog > services.config().c2s().maxQueuedStanzas()) {
            input.whenCaughtUp(() -> done.complete(null));
        } else if (backlog > 0 && budget.over()) {
            // the server as a whole has too much input waiting (InboundBudget), and this session some of it
            budget.whenBelow(() -> done.complete(null));
        } else {
            return;
        }
        try {
            done.get(maxMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // taken in anyway: the client's requests are bounded by 'requests', its input by the stream's limits
        }
    }

    /** The answer to a request: at once, or when output comes, or empty after {@code wait}. */
    private static String await(BoshConnection connection, BoshConnection.Held held, Request request)
            throws InterruptedException {
        if (held.answer.isDone()) {
            return held.answer.join();
        }
        request.disconnected().thenRun(() -> connection.abandoned(held));
        try {
            return held.answer.get(connection.waitFor().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connection.expire(held);
            return held.answer.join();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The stream header a creation or restart request stands for (XEP-0206 §3, §5); a restart
     * continues the session's XMPP 1.0 stream whether or not it repeats the version.
     */
    static StreamHeader header(Element body, boolean restart) {
        Map<String, String> attributes = new LinkedHashMap<>();
        putIfSet(attributes, "to", body.attr("to"));
        String version = BoshBody.xbosh(body, "version");
        putIfSet(attributes, "version", version == null && restart ? "1.0" : version);
        putIfSet(attributes, StreamHeader.LANG, body.attr(StreamHeader.LANG));
        return new StreamHeader(Namespaces.CLIENT, StreamHeader.STREAMS_NAMESPACE, "stream", attributes);
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
