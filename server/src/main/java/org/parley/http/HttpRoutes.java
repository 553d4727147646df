package org.parley.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.parley.config.HttpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP route seam: a module adds its endpoints here while it starts ({@code ctx.http()}), and
 * the server's HTTP listeners (plain and TLS) serve them once every module has started. Handlers run
 * on virtual threads, one per request, and may block (read a store, stream a file, hold a long poll).
 *
 * <pre>{@code
 * // a JSON API: the body is buffered, at most http.maxBodyBytes
 * ctx.http().route(HttpMethod.POST, "/api/v1/users/{name}", request -> Response.json(...));
 * // an upload: the body arrives as a stream, at most 100 MB, while the handler reads it
 * ctx.http().streamed(HttpMethod.PUT, "/upload/{slot}/{name}", 100_000_000, request -> {
 *     try (InputStream in = request.body().stream()) { ... }
 *     return Response.empty(HttpResponseStatus.CREATED);
 * });
 * // a download: the file is sent from disk, ranges honoured, never read into memory
 * ctx.http().route(HttpMethod.GET, "/upload/{slot}/{name}", request -> Response.file(request, path, type));
 * // a protocol upgrade (WebSocket): see ProtocolUpgrade
 * ctx.http().route(HttpMethod.GET, "/xmpp-websocket", request -> Response.upgrade((channel, req) -> ...));
 * // a link handed to a client
 * URI slot = ctx.http().publicUrl("/upload/" + slot + "/" + name);
 * }</pre>
 *
 * <p>Paths are literal segments and {@code {name}} parameters (one segment each; see
 * {@link Request#param}); a literal segment beats a parameter where both match. A GET route also
 * answers HEAD (the body is left out), OPTIONS is answered with {@code Allow} unless a route takes
 * it (a CORS preflight would), and an unknown path or method gets a JSON 404 or 405.
 */
public final class HttpRoutes {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
    private final long defaultMaxBodyBytes;
    private final List<Route> routes = new ArrayList<>();
    private final URI configuredUrl;
    private final Supplier<URI> derivedUrl;
    private volatile List<Route> sealed;

    /** Routes whose public URL is {@code http.publicUrl}, or none when that is unset. */
    public HttpRoutes(HttpSettings settings) {
        this(settings, () -> null);
    }

    /**
     * @param derivedUrl the public URL when {@code http.publicUrl} is unset: known once the listener
     *        has bound (null before)
     */
    public HttpRoutes(HttpSettings settings, Supplier<URI> derivedUrl) {
        this.defaultMaxBodyBytes = settings.maxBodyBytes();
        this.configuredUrl = settings.publicUrl();
        this.derivedUrl = derivedUrl;
    }

    /** Serves {@code method} on {@code path}; a request body is buffered whole, up to {@code http.maxBodyBytes}. */
    public void route(HttpMethod method, String path, HttpHandler handler) {
        add(new Route(method, PathPattern.parse(path), handler, false, defaultMaxBodyBytes));
    }

    /**
     * Serves {@code method} on {@code path} with the request body as a stream: the handler starts
     * once the headers are in and reads {@link RequestBody#stream()} as the body arrives; the
     * connection stops reading while the handler has not taken what it was given (a bounded
     * window), so a slow store slows the client instead of filling memory. A body longer than
     * {@code maxBodyBytes} (declared, or counted as it arrives) gets 413. The handler may answer
     * before reading the body (a 4xx): the rest is then discarded and the connection closed.
     */
    public void streamed(HttpMethod method, String path, long maxBodyBytes, HttpHandler handler) {
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 0");
        }
        add(new Route(method, PathPattern.parse(path), handler, true, maxBodyBytes));
    }

    private synchronized void add(Route route) {
        if (sealed != null) {
            throw new IllegalStateException("HTTP routes are added while modules start, not after: " + route);
        }
        for (Route r : routes) {
            if (r.method().equals(route.method()) && r.path().sameShape(route.path())) {
                throw new IllegalStateException("two routes for " + route + ": " + r.path() + " and " + route.path());
            }
        }
        routes.add(route);
    }

    /** Called by the server once every module has started; the table is read-only from then on. */
    public synchronized void seal() {
        List<Route> copy = new ArrayList<>(routes);
        copy.sort(Comparator.comparing(Route::path, PathPattern::compareSpecificity));
        sealed = List.copyOf(copy);
    }

    /**
     * The base URL for links the server hands out ({@code http.publicUrl}, or derived from the
     * domain and the bound ports), without a trailing slash. Ask for it when making a link, not
     * while starting: a derived URL is known only once the listener has bound its port.
     */
    public URI publicUrl() {
        URI url = configuredUrl != null ? configuredUrl : derivedUrl.get();
        if (url == null) {
            throw new IllegalStateException("no public HTTP URL: http.publicUrl is unset and the HTTP listener "
                    + "is off or not bound yet");
        }
        return url;
    }

    /** {@link #publicUrl()} with {@code path} (starting with /, already percent-encoded) appended. */
    public URI publicUrl(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with /: " + path);
        }
        return URI.create(publicUrl() + path);
    }

    /** What serves {@code method} on the decoded {@code segments}. */
    Match match(HttpMethod method, List<String> segments) {
        List<Route> table = Objects.requireNonNull(sealed, "routes not sealed");
        Set<String> allowed = new TreeSet<>();
        Found get = null;
        for (Route r : table) {
            Map<String, String> params = r.path().match(segments);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Found(r, params);
            }
            if (get == null && method.equals(HttpMethod.HEAD) && r.method().equals(HttpMethod.GET)) {
                get = new Found(r, params);
            }
            allowed.add(r.method().name());
            if (r.method().equals(HttpMethod.GET)) {
                allowed.add(HttpMethod.HEAD.name());
            }
        }
        if (get != null) {
            return get;
        }
        if (allowed.isEmpty()) {
            return NotFound.INSTANCE;
        }
        allowed.add(HttpMethod.OPTIONS.name());
        return new WrongMethod(String.join(", ", allowed));
    }

    record Route(HttpMethod method, PathPattern path, HttpHandler handler, boolean streamed, long maxBodyBytes) {

        /** Runs the handler: what it answers, its {@link HttpError}'s answer, or a 500 when it fails. */
        Response answer(Request request) {
            try {
                Response response = handler.handle(request);
                if (response == null) {
                    throw new NullPointerException("the handler of " + this + " answered null");
                }
                return response;
            } catch (HttpError e) {
                return e.response();
            } catch (Exception | Error e) {
                if (request.disconnected().toCompletableFuture().isDone()) {
                    log.debug("the handler of {} failed on {} after the client left", this, request.path(), e);
                } else {
                    log.warn("the handler of {} failed on {}", this, request.path(), e);
                }
                return Response.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal-error",
                        "the server failed to answer " + request.method() + " " + request.path());
            }
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    sealed interface Match permits Found, WrongMethod, NotFound {
    }

    record Found(Route route, Map<String, String> params) implements Match {
    }

    /** The path exists; {@code allow} is the value of the {@code Allow} header (RFC 9110 §10.2.1). */
    record WrongMethod(String allow) implements Match {
    }

    enum NotFound implements Match {
        INSTANCE
    }
}
