package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.module.Module;
import org.parley.testing.HttpTestModule;
import org.parley.testing.TestServer;

/**
 * Bodies that do not fit in memory: a 50 MB upload the handler reads as it arrives while the
 * connection holds only a small window, an early 413, and files and streams sent back without
 * being loaded, over the plain and the TLS port.
 */
class HttpStreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILE_BYTES = 20 << 20;
    /** The handler's window plus a couple of socket reads: what one streamed request may hold. */
    private static final long HELD_BOUND = 512 * 1024;

    @TempDir
    static Path dir;
    static TestServer server;
    static HttpTestModule module;
    static byte[] file;

    @BeforeAll
    static void start() throws Exception {
        file = new byte[FILE_BYTES];
        new Random(7).nextBytes(file);
        Path path = Files.write(dir.resolve("file.bin"), file);
        module = new HttpTestModule("a", path);
        List<Module> modules = new ArrayList<>(Server.defaultModules());
        modules.add(module);
        server = TestServer.start(dir.resolve("data"), HttpServerTest.HTTP, modules);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI plain(String path) {
        return URI.create("http://127.0.0.1:" + server.server().httpPort() + path);
    }

    private static URI tls(String path) {
        return URI.create("https://localhost:" + server.server().httpsPort() + path);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(server.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** {@code length} pseudo-random bytes, generated as they are read. */
    private static InputStream generated(long length, MessageDigest digest) {
        return new InputStream() {
            private final Random random = new Random(42);
            private final byte[] block = new byte[8192];
            private long left = length;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, block.length), left);
                random.nextBytes(block);
                System.arraycopy(block, 0, b, off, n);
                digest.update(block, 0, n);
                left -= n;
                return n;
            }
        };
    }

    private static JsonNode upload(URI uri, long length, long pauseMillis) throws Exception {
        module.pauseAfterFirstRead(pauseMillis);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated(length, sent)), length))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("bytes").asLong()).isEqualTo(length);
        assertThat(body.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        return body;
    }

    @Test
    void a50MegabyteUploadIsStreamedWithinASmallWindow() throws Exception {
        // The handler sits on its first chunk for a second while the client would send on at loopback speed:
        // only the connection's stopping to read keeps the held bytes small.
        JsonNode r = upload(plain("/test/upload/big.bin"), 50L << 20, 1000);

        assertThat(r.get("maxBuffered").asLong()).isPositive().isLessThanOrEqualTo(HELD_BOUND);
    }

    @Test
    void aStreamedUploadOverTlsIsBoundedToo() throws Exception {
        JsonNode r = upload(tls("/test/upload/tls.bin"), 20L << 20, 500);

        assertThat(r.get("maxBuffered").asLong()).isPositive().isLessThanOrEqualTo(HELD_BOUND);
    }

    @Test
    void aChunkedUploadOfUnknownLengthIsStreamed() throws Exception {
        module.pauseAfterFirstRead(0);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(plain("/test/upload/chunked.bin"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> generated(3_000_000, sent))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).get("bytes").asLong()).isEqualTo(3_000_000);
    }

    @Test
    void anUploadDeclaredOverTheRoutesLimitIsRefusedBeforeItsBody() throws Exception {
        long tooLarge = HttpTestModule.UPLOAD_LIMIT + 1;
        MessageDigest unused = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(plain("/test/upload/huge.bin")).expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated(tooLarge, unused)), tooLarge))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("content-too-large");
    }

    @Test
    void aFileIsServedWholeOnBothPorts() throws Exception {
        for (URI uri : List.of(plain("/test/file"), tls("/test/file"))) {
            HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("accept-ranges")).hasValue("bytes");
            assertThat(r.headers().firstValueAsLong("content-length")).hasValue(FILE_BYTES);
            assertThat(Arrays.equals(r.body(), file)).as(uri.toString()).isTrue();
        }
    }

    @Test
    void aRangeOfAFileIsA206() throws Exception {
        for (URI uri : List.of(plain("/test/file"), tls("/test/file"))) {
            HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(uri).header("Range", "bytes=1000-1999").build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.headers().firstValue("content-range")).hasValue("bytes 1000-1999/" + FILE_BYTES);
            assertThat(r.body()).isEqualTo(Arrays.copyOfRange(file, 1000, 2000));
        }
        HttpResponse<byte[]> suffix = client().send(HttpRequest.newBuilder(plain("/test/file"))
                .header("Range", "bytes=-10").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(file, FILE_BYTES - 10, FILE_BYTES));
    }

    @Test
    void aRangePastTheEndIsA416() throws Exception {
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(plain("/test/file"))
                .header("Range", "bytes=" + FILE_BYTES + "-").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("content-range")).hasValue("bytes */" + FILE_BYTES);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("range-not-satisfiable");
    }

    @Test
    void aStreamedResponseOfUnknownLengthIsChunked() throws Exception {
        for (URI uri : List.of(plain("/test/stream/4096"), tls("/test/stream/4096"))) {
            HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
            assertThat(r.body()).hasSize(4096 * 1024);
        }
    }

    @Test
    void theConnectionIsReusedAfterAStreamedExchange() throws Exception {
        HttpClient c = client();
        int before = JSON.readTree(c.send(HttpRequest.newBuilder(plain("/test/hello/1")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("clientPort").asInt();
        c.send(HttpRequest.newBuilder(plain("/test/stream/64")).build(), HttpResponse.BodyHandlers.ofByteArray());
        c.send(HttpRequest.newBuilder(plain("/test/file")).header("Range", "bytes=0-9").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        int after = JSON.readTree(c.send(HttpRequest.newBuilder(plain("/test/hello/2")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("clientPort").asInt();

        assertThat(after).isEqualTo(before);
    }
}
