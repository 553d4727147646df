package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.module.Module;
import org.parley.testing.HttpTestModule;
import org.parley.testing.TestServer;

/**
 * What a client that is slow, silent, malformed or leaves early gets from the HTTP listener,
 * over raw sockets (input the JDK client will not produce), and a protocol upgrade taking the
 * connection over.
 */
class HttpConnectionTest {
    private static final Map<String, String> HTTP = Map.of("PARLEY_HTTP_TLS_PORT", "-1",
            "PARLEY_HTTP_MAX_REQUEST_LINE_BYTES", "256", "PARLEY_HTTP_MAX_HEADER_BYTES", "1024",
            "PARLEY_HTTP_MAX_BODY_BYTES", "4096", "PARLEY_HTTP_HEADER_TIMEOUT", "400ms", "PARLEY_HTTP_IDLE_TIMEOUT", "800ms");

    @TempDir
    static Path dir;
    static TestServer server;
    static HttpTestModule module;

    @BeforeAll
    static void start() throws Exception {
        module = new HttpTestModule("a", Files.write(dir.resolve("f"), new byte[] {1}));
        List<Module> modules = new ArrayList<>(Server.defaultModules());
        modules.add(module);
        server = TestServer.start(dir.resolve("data"), HTTP, modules);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.server().httpPort());
        s.setSoTimeout(5000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection. */
    private static String untilClosed(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; it sent: " + all, e);
        } catch (IOException reset) {
            // a reset after the answer is also the end
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until {@code count} complete responses (header and Content-Length body) have arrived. */
    private static String responses(Socket s, int count) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[8192];
        while (complete(all.toString(StandardCharsets.ISO_8859_1)) < count) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static int complete(String raw) {
        int count = 0;
        int at = 0;
        while (true) {
            int end = raw.indexOf("\r\n\r\n", at);
            if (end < 0) {
                return count;
            }
            String head = raw.substring(at, end).toLowerCase();
            int cl = head.indexOf("content-length: ");
            int length = cl < 0 ? 0 : Integer.parseInt(head.substring(cl + 16).split("\r\n")[0].trim());
            if (raw.length() < end + 4 + length) {
                return count;
            }
            count++;
            at = end + 4 + length;
        }
    }

    @Test
    void headersThatTrickleInAreCutOffWith408() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, "GET /test/hello/x HTTP/1.1\r\nHo");
            Thread.sleep(150);
            send(s, "st: x\r\n"); // still incomplete, though bytes keep coming

            String answer = untilClosed(s);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"error\":\"request-timeout\"")
                    .contains("connection: close");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        // Timed from before the connection: the server's timer starts once it accepted it, never
        // before, while a busy machine may run this thread long after connect() returned.
        long start = System.nanoTime();
        try (Socket s = connect()) {

            assertThat(untilClosed(s)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(3));
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedWhenIdle() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /test/hello/x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(responses(s, 1)).startsWith("HTTP/1.1 200 ");

            assertThat(untilClosed(s)).isEmpty();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /test/hello/one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"n\":[3]}"
                    + "GET /test/hello/four HTTP/1.1\r\nHost: x\r\n\r\n");

            String raw = responses(s, 4);

            assertThat(raw.indexOf("\"one\"")).isLessThan(raw.indexOf("not-found"));
            assertThat(raw.indexOf("not-found")).isLessThan(raw.indexOf("{\"n\":[3]}"));
            assertThat(raw.indexOf("{\"n\":[3]}")).isLessThan(raw.indexOf("\"four\""));
        }
    }

    @Test
    void theListenersLimitsComeFromItsSettings() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /" + "x".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(untilClosed(s)).startsWith("HTTP/1.1 414 ").contains("\"error\":\"uri-too-long\"");
        }
        try (Socket s = connect()) {
            send(s, "GET /test/hello/x HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(1100) + "\r\n\r\n");
            assertThat(untilClosed(s)).startsWith("HTTP/1.1 431 ")
                    .contains("\"error\":\"request-header-fields-too-large\"");
        }
        try (Socket s = connect()) {
            send(s, "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4097\r\n\r\n");
            assertThat(untilClosed(s)).startsWith("HTTP/1.1 413 ").contains("\"error\":\"content-too-large\"");
        }
    }

    @Test
    void malformedRequestsAre400() throws Exception {
        for (String bad : List.of("NOT HTTP AT ALL\r\n\r\n", "GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")) {
            try (Socket s = connect()) {
                send(s, bad);
                assertThat(untilClosed(s)).as(bad).startsWith("HTTP/1.1 400 ").contains("\"error\":\"bad-request\"");
            }
        }
    }

    @Test
    void aClientThatLeavesMidUploadFailsTheHandlersRead() throws Exception {
        module.pauseAfterFirstRead(0);
        try (Socket s = connect()) {
            send(s, "PUT /test/upload/cut HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "a".repeat(100_000));
            Thread.sleep(100);
        }

        assertThat(module.nextUploadFailure(5)).isInstanceOf(IOException.class);
    }

    @Test
    void aHandlerMayAnswerBeforeTheBodyHasCome() throws Exception {
        try (Socket s = connect()) {
            send(s, "PUT /test/upload/refused HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "a".repeat(50_000));

            String answer = untilClosed(s);

            assertThat(answer).startsWith("HTTP/1.1 403 ").contains("connection: close").contains("\"error\":\"forbidden\"");
        }
    }

    @Test
    void aBodyThatStopsComingIsCutOffWhenIdle() throws Exception {
        module.pauseAfterFirstRead(0);
        try (Socket s = connect()) {
            send(s, "PUT /test/upload/stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "a".repeat(1000));

            assertThat(untilClosed(s)).isEmpty();
            assertThat(module.nextUploadFailure(5)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aClientThatStopsReadingItsResponseIsDropped() throws Exception {
        try (Socket s = connect()) {
            s.setReceiveBufferSize(64 * 1024);
            send(s, "GET /test/stream/65536 HTTP/1.1\r\nHost: x\r\n\r\n"); // 64 MiB, streamed
            Thread.sleep(2500); // reads nothing for longer than the idle timeout

            long received = 0;
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                    received += n;
                }
            } catch (IOException reset) {
                // closed under a full buffer: a reset is the end too
            }
            assertThat(received).as("what was queued before the server let go").isLessThan(64L << 20);
        }
    }

    @Test
    void anUpgradeTakesTheConnectionOver() throws Exception {
        try (Socket s = connect()) {
            send(s, "GET /test/upgrade HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(responses(s, 1)).startsWith("HTTP/1.1 426 ");

            send(s, "GET /test/upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x-echo\r\n\r\n");
            String switching = responses(s, 1);
            assertThat(switching).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("upgrade: x-echo");

            send(s, "no longer HTTP\r\n\r\n");
            byte[] echo = s.getInputStream().readNBytes("no longer HTTP\r\n\r\n".length());
            assertThat(new String(echo, StandardCharsets.ISO_8859_1)).isEqualTo("no longer HTTP\r\n\r\n");

            Thread.sleep(1200); // past the HTTP idle timeout: the new protocol owns the connection now
            send(s, "still here");
            assertThat(new String(s.getInputStream().readNBytes(10), StandardCharsets.ISO_8859_1)).isEqualTo("still here");
        }
    }
}
