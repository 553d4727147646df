package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.config.ConfigLoader;
import org.parley.config.HttpSettings;

class HttpRoutesTest {
    private static final HttpHandler OK = r -> Response.empty(io.netty.handler.codec.http.HttpResponseStatus.OK);
    private final HttpRoutes routes = new HttpRoutes(settings(Map.of()));

    private static HttpSettings settings(Map<String, String> env) {
        return ConfigLoader.load(null, env, List.of()).http();
    }

    private HttpRoutes.Match match(HttpMethod method, String path) {
        return routes.match(method, PathPattern.split(path));
    }

    @Test
    void parametersMatchOneNonEmptySegment() {
        routes.route(HttpMethod.PUT, "/upload/{slot}/{name}", OK);
        routes.seal();

        assertThat(match(HttpMethod.PUT, "/upload/a/b.jpg")).isInstanceOfSatisfying(HttpRoutes.Found.class,
                f -> assertThat(f.params()).isEqualTo(Map.of("slot", "a", "name", "b.jpg")));
        assertThat(match(HttpMethod.PUT, "/upload/a")).isEqualTo(HttpRoutes.NotFound.INSTANCE);
        assertThat(match(HttpMethod.PUT, "/upload/a/b/c")).isEqualTo(HttpRoutes.NotFound.INSTANCE);
        assertThat(match(HttpMethod.PUT, "/upload//b")).isEqualTo(HttpRoutes.NotFound.INSTANCE);
    }

    @Test
    void theMostLiteralRouteWinsWhateverTheOrderOfRegistration() {
        routes.route(HttpMethod.GET, "/a/{x}/{y}", r -> null);
        routes.route(HttpMethod.GET, "/a/{x}/c", OK);
        routes.route(HttpMethod.GET, "/a/b/{y}", r -> null);
        routes.seal();

        HttpRoutes.Found f = (HttpRoutes.Found) match(HttpMethod.GET, "/a/b/c");
        assertThat(f.route().path()).hasToString("/a/b/{y}");
        assertThat(((HttpRoutes.Found) match(HttpMethod.GET, "/a/z/c")).route().handler()).isSameAs(OK);
    }

    @Test
    void headFallsBackToGetAndAllowListsEveryMethod() {
        routes.route(HttpMethod.GET, "/r", OK);
        routes.route(HttpMethod.POST, "/r", OK);
        routes.seal();

        assertThat(match(HttpMethod.HEAD, "/r")).isInstanceOf(HttpRoutes.Found.class);
        assertThat(match(HttpMethod.DELETE, "/r")).isEqualTo(new HttpRoutes.WrongMethod("GET, HEAD, OPTIONS, POST"));
    }

    @Test
    void twoRoutesForTheSamePathsAndMethodAreRefused() {
        routes.route(HttpMethod.GET, "/u/{a}", OK);

        assertThatThrownBy(() -> routes.route(HttpMethod.GET, "/u/{b}", OK)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void routesAreAddedOnlyBeforeTheSeal() {
        routes.seal();

        assertThatThrownBy(() -> routes.route(HttpMethod.GET, "/late", OK)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badPatternsAreRefused() {
        for (String bad : List.of("no-slash", "/a{b}", "/{1x}", "/{a}/{a}", "/%41")) {
            assertThatThrownBy(() -> routes.route(HttpMethod.GET, bad, OK)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void thePublicUrlIsConfiguredOrDerivedAfterBinding() {
        java.util.concurrent.atomic.AtomicReference<URI> bound = new java.util.concurrent.atomic.AtomicReference<>();
        HttpRoutes derived = new HttpRoutes(settings(Map.of()), bound::get);
        assertThatThrownBy(derived::publicUrl).isInstanceOf(IllegalStateException.class);

        bound.set(URI.create("https://example.org"));
        assertThat(derived.publicUrl("/upload/x")).isEqualTo(URI.create("https://example.org/upload/x"));

        HttpSettings configured = settings(Map.of("PARLEY_HTTP_PUBLIC_URL", "https://files.example.org/"));
        HttpRoutes fixed = new HttpRoutes(configured, () -> URI.create("https://ignored"));
        assertThat(fixed.publicUrl()).isEqualTo(URI.create("https://files.example.org"));
    }
}
