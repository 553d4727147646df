package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TestServer;

/**
 * A real web client in a real browser: Converse.js (pinned in {@code webclient/package.json}),
 * served from a local test page on another origin, in headless Debian Chromium driven by
 * Playwright ({@code webclient/converse-test.mjs}), logs in over WebSocket and then over BOSH,
 * sees its roster, chats both ways with a Smack client over TCP, reconnects, chats again and
 * uploads a file (XEP-0363) that the Smack side downloads. Each run leaves a screenshot under
 * {@code server/target/browser/}. Needs {@code /usr/bin/chromium} and {@code npm ci} in
 * {@code webclient/} ({@code .ci/run} does both); skipped without them, except under {@code CI=true}.
 */
class BrowserClientTest {
    private static final Path WEBCLIENT = Path.of("..", "webclient").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Duration STEP = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "bosh"})
    void converseLogsInChatsReconnectsAndUploads(String transport, @TempDir Path dir) throws Exception {
        boolean ready = Files.isDirectory(WEBCLIENT.resolve("node_modules/converse.js/dist"))
                && Files.isDirectory(WEBCLIENT.resolve("node_modules/playwright-core")) && Files.isExecutable(CHROMIUM);
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(ready, "needs /usr/bin/chromium and npm ci in webclient/");
        }
        assertThat(ready).as("CI installs chromium and webclient/node_modules (.ci/run)").isTrue();

        HttpServer page = pageServer();
        String origin = "http://127.0.0.1:" + page.getAddress().getPort();
        try (TestServer server = TestServer.start(dir.resolve("server"), Map.of(
                "PARLEY_WEBSOCKET_ALLOWED_ORIGINS", origin, "PARLEY_BOSH_ALLOWED_ORIGINS", origin))) {
            server.createUser("alice", "alice-secret");
            server.createUser("bob", "bob-secret");
            var rosters = server.server().stores().roster();
            rosters.put("alice", new RosterItem("bob@localhost", "Bob", Subscription.BOTH, false, false,
                    List.of("Friends")));
            rosters.put("bob", new RosterItem("alice@localhost", "Alice", Subscription.BOTH, false, false, List.of()));
            try (MessageInbox bob = MessageInbox.login(new Clients(server), "bob", "bob-secret", "tcp")) {
                String service = "http://127.0.0.1:" + server.server().httpPort()
                        + (transport.equals("bosh") ? "/http-bind" : "/xmpp-websocket");
                if (transport.equals("websocket")) {
                    service = "ws" + service.substring("http".length());
                }
                Path shot = Path.of("target", "browser", "converse-" + transport + ".png").toAbsolutePath();
                Files.createDirectories(shot.getParent());
                Files.deleteIfExists(shot);
                String url = origin + "/index.html?transport=" + transport + "&service=" + enc(service)
                        + "&jid=" + enc("alice@localhost") + "&password=" + enc("alice-secret");
                ProcessBuilder node = new ProcessBuilder("node", WEBCLIENT.resolve("converse-test.mjs").toString())
                        .directory(WEBCLIENT.toFile()).redirectErrorStream(true);
                node.environment().putAll(Map.of("PAGE", url, "CONTACT", "bob@localhost",
                        "SCREENSHOT", shot.toString(), "PROFILE", Files.createDirectories(dir.resolve("profile")).toString(),
                        "CHROMIUM", CHROMIUM.toString()));
                Process browser = node.start();
                List<String> log = new CopyOnWriteArrayList<>();
                Thread reader = Thread.ofVirtual().start(() -> read(browser, log));
                try {
                    Message hello = withBody(bob);
                    assertThat(hello).as("Converse's first message; browser said: %s", log).isNotNull();
                    assertThat(hello.getBody()).isEqualTo("hello from converse");
                    assertThat(hello.getFrom().asBareJid().toString()).isEqualTo("alice@localhost");
                    bob.sendChat(hello.getFrom().toString(), "hello from smack");

                    Message again = withBody(bob);
                    assertThat(again).as("a message after reconnecting; browser said: %s", log).isNotNull();
                    assertThat(again.getBody()).isEqualTo("after reconnect");

                    Message file = withBody(bob);
                    assertThat(file).as("the upload's link; browser said: %s", log).isNotNull();
                    HttpResponse<String> got = HttpClient.newBuilder().sslContext(server.sslContext()).build()
                            .send(HttpRequest.newBuilder(URI.create(file.getBody().trim())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                    assertThat(got.statusCode()).isEqualTo(200);
                    assertThat(got.body()).isEqualTo("parley upload test\n");

                    assertThat(browser.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)).as("browser done: %s", log).isTrue();
                    reader.join(5000);
                    assertThat(browser.exitValue()).as("browser said: %s", log).isZero();
                    assertThat(log).anyMatch(l -> l.startsWith("STEP roster"))
                            .anyMatch(l -> l.startsWith("STEP reconnected"));
                    assertThat(shot).isNotEmptyFile();
                    System.out.println("BrowserClientTest: screenshot of Converse.js over " + transport + ": " + shot);
                } finally {
                    browser.destroyForcibly();
                }
            }
        } finally {
            page.stop(0);
        }
    }

    /** The next message with a body: Converse also sends chat states (XEP-0085) without one. */
    private static Message withBody(MessageInbox inbox) throws InterruptedException {
        long end = System.nanoTime() + STEP.toNanos();
        for (Message m; (m = inbox.poll(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) != null; ) {
            if (m.getBody() != null) {
                return m;
            }
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void read(Process p, List<String> log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                log.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Serves the test page and Converse.js's files, as a web site on an origin of its own. */
    private static HttpServer pageServer() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        Path pageDir = WEBCLIENT.resolve("page");
        Path dist = WEBCLIENT.resolve("node_modules/converse.js/dist");
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Path file = path.startsWith("/converse/") ? dist.resolve(path.substring("/converse/".length())).normalize()
                    : pageDir.resolve(path.substring(1)).normalize();
            if (!(file.startsWith(dist) || file.startsWith(pageDir)) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType(file.getFileName().toString()));
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        return http;
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json", "map" -> "application/json";
            case "wasm" -> "application/wasm";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "woff2" -> "font/woff2";
            case "woff" -> "font/woff";
            case "ttf" -> "font/ttf";
            case "mp3" -> "audio/mpeg";
            case "ogg" -> "audio/ogg";
            default -> "application/octet-stream";
        };
    }
}
