package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.cli.ParleyCli;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import picocli.CommandLine;

/**
 * XEP-0363 end to end: disco, slots and their errors over XMPP, and every success and error path of
 * the PUT and GET URLs over HTTPS, with Smack's own upload manager as one client.
 */
class UploadTest {
    private static final String NS = "urn:xmpp:http:upload:0";
    private static final int MAX = 1_000_000;

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_UPLOAD_MAX_FILE_SIZE", Integer.toString(MAX),
            "PARLEY_UPLOAD_USER_QUOTA_MB", "1"));

    private static HttpClient https() {
        return HttpClient.newBuilder().sslContext(server.get().sslContext()).build();
    }

    private static RawStreamClient client(String user) throws Exception {
        server.account(user);
        return RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), "r");
    }

    private static Element requestSlot(RawStreamClient c, String name, long size, String type) throws Exception {
        c.send("<iq type='get' to='upload.localhost' id='slot'><request xmlns='" + NS + "' filename='" + name
                + "' size='" + size + "'" + (type == null ? "" : " content-type='" + type + "'") + "/></iq>");
        return c.expect(e -> "slot".equals(e.attr("id")), "the slot answer");
    }

    private static URI putUrl(Element answer) {
        assertThat(answer.attr("type")).as(answer.toXml()).isEqualTo("result");
        return URI.create(answer.element("slot", NS).element("put", NS).attr("url"));
    }

    private static HttpResponse<String> put(URI url, byte[] body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return https().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(URI url, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url);
        if (range != null) {
            b.header("Range", range);
        }
        return https().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Path uploads() {
        return server.get().server().config().server().dataDir().resolve("uploads");
    }

    private static String id(URI url) {
        String[] parts = url.getPath().split("/");
        return parts[2];
    }

    @Test
    void smacksUploadManagerDiscoversTheServiceAndUploadsAFile(@TempDir Path dir) throws Exception {
        XMPPTCPConnection alice = server.login("up-smack");
        try {
            HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(alice);
            assertThat(uploads.discoverUploadService()).isTrue();
            assertThat(uploads.getDefaultUploadService().getAddress().toString()).isEqualTo("upload.localhost");
            assertThat(uploads.getDefaultUploadService().getMaxFileSize()).isEqualTo(MAX);
            uploads.setTlsContext(server.get().sslContext());
            byte[] content = new byte[300_000];
            new Random(7).nextBytes(content);
            Path file = Files.write(dir.resolve("photo of us.jpg"), content);
            URL url = uploads.uploadFile(file.toFile());
            assertThat(url.toString()).startsWith("https://localhost:" + server.get().server().httpsPort() + "/upload/")
                    .endsWith("/photo%20of%20us.jpg");
            HttpResponse<byte[]> back = get(url.toURI(), null);
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(back.body()).isEqualTo(content);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aFileIsPutOnceAndServedWithItsTypeRangesAndHeaders() throws Exception {
        try (RawStreamClient c = client("up-alice")) {
            byte[] body = "hello, file".getBytes(StandardCharsets.UTF_8);
            URI url = putUrl(requestSlot(c, "notes é.txt", body.length, "text/plain"));
            assertThat(url.getRawPath()).endsWith("/notes%20%C3%A9.txt");
            assertThat(id(url)).hasSizeGreaterThanOrEqualTo(22); // 128 random bits

            assertThat(get(url, null).statusCode()).as("nothing to get before the PUT").isEqualTo(404);
            HttpResponse<String> created = put(url, body, "text/plain");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("access-control-allow-origin")).hasValue("*");
            assertThat(put(url, body, "text/plain").statusCode()).as("one PUT per slot").isEqualTo(409);

            HttpResponse<byte[]> r = get(url, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(body);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(r.headers().firstValue("content-disposition")).hasValue("inline; filename*=UTF-8''notes%20%C3%A9.txt");
            assertThat(r.headers().firstValue("cache-control")).hasValueSatisfying(v -> assertThat(v).contains("max-age"));
            assertThat(r.headers().firstValue("accept-ranges")).hasValue("bytes");
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");

            HttpResponse<byte[]> part = get(url, "bytes=7-10");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(new String(part.body(), StandardCharsets.UTF_8)).isEqualTo("file");
            assertThat(part.headers().firstValue("content-range")).hasValue("bytes 7-10/" + body.length);
            assertThat(get(url, "bytes=100-").statusCode()).isEqualTo(416);

            String etag = r.headers().firstValue("etag").orElseThrow();
            assertThat(etag).isEqualTo("\"" + id(url) + "\"");
            String lastModified = r.headers().firstValue("last-modified").orElseThrow();
            HttpResponse<byte[]> unchanged = https().send(HttpRequest.newBuilder(url).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(unchanged.statusCode()).isEqualTo(304);
            assertThat(unchanged.body()).isEmpty();
            assertThat(unchanged.headers().firstValue("etag")).hasValue(etag);
            assertThat(https().send(HttpRequest.newBuilder(url).header("If-None-Match", "\"other\"").build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
            assertThat(https().send(HttpRequest.newBuilder(url).header("If-Modified-Since", lastModified).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(304);
            HttpResponse<Void> head = https().send(HttpRequest.newBuilder(url).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(body.length));
            assertThat(head.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(head.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");

            URI otherName = URI.create(url.toString().replace("notes%20%C3%A9.txt", "other.txt"));
            assertThat(get(otherName, null).statusCode()).isEqualTo(404);
            URI unknown = URI.create(url.toString().replace(id(url), "AAAAAAAAAAAAAAAAAAAAAA"));
            assertThat(get(unknown, null).statusCode()).isEqualTo(404);
            assertThat(put(unknown, body, "text/plain").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aPutThatDoesNotMatchItsSlotIsRefusedAndStoresNothing() throws Exception {
        try (RawStreamClient c = client("up-bob")) {
            URI url = putUrl(requestSlot(c, "a.png", 10, "image/png"));
            HttpResponse<String> shorter = put(url, new byte[9], "image/png");
            assertThat(shorter.statusCode()).isEqualTo(400);
            assertThat(shorter.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(shorter.body()).contains("\"error\"").contains("10 bytes");
            assertThat(put(url, new byte[11], "image/png").statusCode()).isEqualTo(400);
            assertThat(put(url, new byte[10], "image/gif").statusCode()).isEqualTo(400);
            assertThat(put(url, new byte[10], null).statusCode()).isEqualTo(400);
            assertThat(get(url, null).statusCode()).isEqualTo(404);
            assertThat(blobFiles(id(url))).isEmpty();
            assertThat(put(url, new byte[10], "image/png").statusCode()).as("the slot is still good").isEqualTo(201);
            HttpResponse<byte[]> r = get(url, null);
            assertThat(r.headers().firstValue("content-disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("inline"));
        }
    }

    @Test
    void anInterruptedUploadLeavesNothingBehind() throws Exception {
        try (RawStreamClient c = client("up-carol")) {
            URI url = putUrl(requestSlot(c, "big.bin", 100_000, null));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.get().server().httpPort())) {
                OutputStream out = s.getOutputStream();
                out.write(("PUT " + url.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[30_000]);
                out.flush();
            } // the connection drops mid-body
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!blobFiles(id(url)).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(blobFiles(id(url))).as("no file and no part file").isEmpty();
            assertThat(get(url, null).statusCode()).isEqualTo(404);
            byte[] whole = new byte[100_000];
            assertThat(put(url, whole, null).statusCode()).as("the client may try again").isEqualTo(201);
            assertThat(get(url, null).body()).hasSize(100_000);
            assertThat(get(url, null).headers().firstValue("content-disposition"))
                    .hasValue("attachment; filename*=UTF-8''big.bin");
        }
    }

    private static java.util.List<Path> blobFiles(String id) throws IOException {
        try (Stream<Path> files = Files.list(uploads())) {
            return files.filter(p -> p.getFileName().toString().startsWith(id)).toList();
        }
    }

    @Test
    void aFileOverTheLimitGetsFileTooLargeWithTheLimit() throws Exception {
        try (RawStreamClient c = client("up-dave")) {
            Element answer = requestSlot(c, "movie.mp4", MAX + 1, "video/mp4");
            assertThat(answer.attr("type")).isEqualTo("error");
            Element error = answer.element("error", Namespaces.CLIENT);
            assertThat(error.attr("type")).isEqualTo("modify");
            assertThat(error.element("not-acceptable", "urn:ietf:params:xml:ns:xmpp-stanzas")).isNotNull();
            assertThat(error.element("file-too-large", NS).childText("max-file-size", NS)).isEqualTo(Integer.toString(MAX));
        }
    }

    @Test
    void badRequestsAndStrangersAreRefused() throws Exception {
        try (RawStreamClient c = client("up-erin")) {
            assertThat(RawStreamClient.stanzaErrorCondition(requestSlot(c, "", 10, null))).isEqualTo("bad-request");
            assertThat(RawStreamClient.stanzaErrorCondition(requestSlot(c, "a/b", 10, null))).isEqualTo("bad-request");
            assertThat(RawStreamClient.stanzaErrorCondition(requestSlot(c, "a", 0, null))).isEqualTo("bad-request");
            c.send("<iq type='get' to='upload.localhost' id='slot'><request xmlns='" + NS + "' filename='x'/></iq>");
            assertThat(RawStreamClient.stanzaErrorCondition(c.expect(e -> "slot".equals(e.attr("id")), "answer")))
                    .isEqualTo("bad-request");
        }
    }

    @Test
    void theQuotaCountsFilesAndOpenSlots() throws Exception {
        try (RawStreamClient c = client("up-frank"); MessageInbox bystander = server.inbox("up-bystander", "r")) {
            putUrl(requestSlot(c, "one.bin", 600_000, null));
            Element second = requestSlot(c, "two.bin", 600_000, null);
            assertThat(RawStreamClient.stanzaErrorCondition(second)).isEqualTo("resource-constraint");
            assertThat(second.element("error", Namespaces.CLIENT).attr("type")).isEqualTo("wait");
            putUrl(requestSlot(c, "three.bin", 400_000, null));
            c.send("<message to='up-bystander@localhost/r' type='chat'><body>still chatting</body></message>");
            assertThat(bystander.next().getBody()).isEqualTo("still chatting");
        }
    }

    @Test
    void aRemovedAccountsFilesGoWithIt() throws Exception {
        URI url;
        try (RawStreamClient c = client("up-gone")) {
            url = putUrl(requestSlot(c, "mine.txt", 3, "text/plain"));
            assertThat(put(url, "abc".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode()).isEqualTo(201);
        }
        assertThat(blobFiles(id(url))).hasSize(1);
        assertThat(server.stores().accounts().delete("up-gone")).isTrue();
        assertThat(blobFiles(id(url))).isEmpty();
        assertThat(get(url, null).statusCode()).isEqualTo(404);
    }

    /**
     * `parley user remove` on a stopped server has no file store open: the account's files are
     * deleted once the server runs again, and are not served meanwhile.
     */
    @Test
    void filesOfAnAccountRemovedWhileTheServerIsStoppedAreDeletedWhenItRuns(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("PARLEY_UPLOAD_SLOT_TIMEOUT", "1s");
        URI url;
        try (TestServer s = TestServer.start(dir, env)) {
            s.createUser("offline-gone", "gone-pw");
            try (RawStreamClient c = RawStreamClient.loggedIn(s, "offline-gone", "gone-pw", "r")) {
                url = putUrl(requestSlot(c, "kept.txt", 3, "text/plain"));
            }
            HttpClient http = HttpClient.newBuilder().sslContext(s.sslContext()).build();
            assertThat(http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString("abc"))
                    .header("Content-Type", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(201);
        }
        CommandLine cli = ParleyCli.commandLine(Map.of("PARLEY_DATA_DIR", dir.toString()), prompt -> "unused");
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("user", "remove", "offline-gone")).isZero();

        try (TestServer s = TestServer.start(dir, env)) {
            HttpClient http = HttpClient.newBuilder().sslContext(s.sslContext()).build();
            URI again = URI.create(url.toString().replaceFirst(":\\d+/", ":" + s.server().httpsPort() + "/"));
            assertThat(http.send(HttpRequest.newBuilder(again).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (files(dir.resolve("uploads")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(files(dir.resolve("uploads"))).as("the removed account's file is deleted").isZero();
        }
    }

    private static long files(Path dir) throws IOException {
        try (Stream<Path> in = Files.list(dir)) {
            return in.count();
        }
    }

    @Test
    void filesExpire(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir, Map.of("PARLEY_UPLOAD_EXPIRE_AFTER", "1s",
                "PARLEY_UPLOAD_SLOT_TIMEOUT", "60s"))) {
            s.createUser("exp", "exp-pw");
            URI url;
            try (RawStreamClient c = RawStreamClient.loggedIn(s, "exp", "exp-pw", "r")) {
                c.send("<iq type='get' to='upload.localhost' id='slot'><request xmlns='" + NS
                        + "' filename='old.txt' size='3'/></iq>");
                url = putUrl(c.expect(e -> "slot".equals(e.attr("id")), "the slot"));
            }
            HttpClient http = HttpClient.newBuilder().sslContext(s.sslContext()).build();
            assertThat(http.send(HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString("old")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status = 200;
            while (status == 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
            }
            assertThat(status).as("the file is gone once it expired").isEqualTo(404);
            try (Stream<Path> left = Files.list(dir.resolve("uploads"))) {
                assertThat(left).isEmpty();
            }
        }
    }
}
