package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.config.ConfigException;
import org.parley.testing.RawStreamClient;
import org.parley.testing.S3TestServer;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;

/**
 * XEP-0363 with the files on S3-compatible object storage (a real S3 server on loopback that
 * checks signatures): the slot's PUT URL is a pre-signed URL of the store that takes only the
 * slot's size and type, the GET URL is the server's and redirects to a pre-signed download with
 * the file's headers, so file bytes never pass through the server.
 */
class UploadS3Test {
    private static final String NS = "urn:xmpp:http:upload:0";
    private static final S3TestServer s3 = S3TestServer.start();

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(s3.env());

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    /** ALWAYS: the test store is plain HTTP, and NORMAL does not follow a redirect from HTTPS to HTTP. */
    private static HttpClient http(HttpClient.Redirect redirects) {
        return HttpClient.newBuilder().sslContext(server.get().sslContext()).followRedirects(redirects).build();
    }

    private static Element requestSlot(RawStreamClient c, String name, long size, String type) throws Exception {
        c.send("<iq type='get' to='upload.localhost' id='slot'><request xmlns='" + NS + "' filename='" + name
                + "' size='" + size + "'" + (type == null ? "" : " content-type='" + type + "'") + "/></iq>");
        Element answer = c.expect(e -> "slot".equals(e.attr("id")), "the slot answer");
        assertThat(answer.attr("type")).as(answer.toXml()).isEqualTo("result");
        return answer.element("slot", NS);
    }

    private static URI url(Element slot, String which) {
        return URI.create(slot.element(which, NS).attr("url"));
    }

    private static String id(URI getUrl) {
        return getUrl.getPath().split("/")[2];
    }

    private static int put(URI url, byte[] body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http(HttpClient.Redirect.NEVER).send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void smacksUploadGoesToTheStoreAndTheLinkRedirectsToIt(@TempDir Path dir) throws Exception {
        server.account("s3-smack");
        XMPPTCPConnection alice = server.login("s3-smack");
        try {
            HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(alice);
            assertThat(uploads.discoverUploadService()).isTrue();
            uploads.setTlsContext(server.get().sslContext());
            byte[] content = new byte[200_000];
            new Random(11).nextBytes(content);
            URL url = uploads.uploadFile(Files.write(dir.resolve("holiday.jpg"), content).toFile());
            assertThat(url.toString()).startsWith("https://localhost:" + server.get().server().httpsPort() + "/upload/");
            String id = id(url.toURI());
            assertThat(s3.keys()).as("the bytes went to the bucket, under the slot's id").contains(id);

            HttpResponse<Void> redirect = http(HttpClient.Redirect.NEVER).send(HttpRequest.newBuilder(url.toURI()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("location")).hasValueSatisfying(l -> assertThat(l)
                    .startsWith(s3.endpoint() + "/" + S3TestServer.BUCKET + "/" + id).contains("X-Amz-Signature="));

            HttpResponse<byte[]> file = http(HttpClient.Redirect.ALWAYS).send(HttpRequest.newBuilder(url.toURI()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(content);
            assertThat(file.headers().firstValue("content-disposition")).hasValue("attachment; filename*=UTF-8''holiday.jpg");
            assertThat(file.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");

            HttpResponse<byte[]> part = http(HttpClient.Redirect.ALWAYS).send(HttpRequest.newBuilder(url.toURI())
                    .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 200));
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void theStoreTakesOnlyTheSlotsSizeAndTypeAndKeepsNothingElse() throws Exception {
        server.account("s3-bob");
        try (RawStreamClient c = RawStreamClient.loggedIn(server.get(), "s3-bob", ServerExtension.password("s3-bob"), "r")) {
            Element slot = requestSlot(c, "a note.txt", 10, "text/plain");
            URI put = url(slot, "put");
            URI get = url(slot, "get");
            assertThat(put.getPort()).as("the client uploads to the store").isEqualTo(s3.endpoint().getPort());
            assertThat(get.getPort()).as("and downloads through the server's link").isEqualTo(server.get().server().httpsPort());
            String id = id(get);

            assertThat(put(put, new byte[9], "text/plain")).as("shorter").isEqualTo(403);
            assertThat(put(put, new byte[11], "text/plain")).as("longer").isEqualTo(403);
            assertThat(put(put, new byte[10], "text/html")).as("another type").isEqualTo(403);
            assertThat(put(put, new byte[10], null)).as("no type").isEqualTo(403);
            assertThat(s3.has(id)).isFalse();
            assertThat(http(HttpClient.Redirect.NEVER).send(HttpRequest.newBuilder(get).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);

            byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
            assertThat(put(put, body, "text/plain")).isEqualTo(200);
            assertThat(s3.has(id)).isTrue();

            HttpResponse<Void> head = http(HttpClient.Redirect.NEVER).send(HttpRequest.newBuilder(get)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).hasValue("10");
            assertThat(head.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(head.headers().firstValue("etag")).hasValue("\"" + id + "\"");

            HttpResponse<String> file = http(HttpClient.Redirect.ALWAYS).send(HttpRequest.newBuilder(get).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(file.body()).isEqualTo("0123456789");
            assertThat(file.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(file.headers().firstValue("content-disposition")).hasValue("inline; filename*=UTF-8''a%20note.txt");
        }
    }

    @Test
    void aRemovedAccountsObjectsGoWithIt() throws Exception {
        server.account("s3-gone");
        URI get;
        try (RawStreamClient c = RawStreamClient.loggedIn(server.get(), "s3-gone", ServerExtension.password("s3-gone"), "r")) {
            Element slot = requestSlot(c, "mine.bin", 3, null);
            assertThat(put(url(slot, "put"), new byte[3], null)).isEqualTo(200);
            get = url(slot, "get");
        }
        assertThat(s3.has(id(get))).isTrue();
        assertThat(server.stores().accounts().delete("s3-gone")).isTrue();
        assertThat(s3.has(id(get))).isFalse();
        assertThat(http(HttpClient.Redirect.NEVER).send(HttpRequest.newBuilder(get).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void expiredObjectsAreDeleted(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("PARLEY_UPLOAD_EXPIRE_AFTER", "1s");
        // Long enough for the PUT: X-Amz-Date counts in whole seconds, so a 1 s URL may live 0.1 s.
        env.put("PARLEY_UPLOAD_SLOT_TIMEOUT", "5s");
        try (TestServer s = TestServer.start(dir, env)) {
            s.createUser("exp", "exp-pw");
            URI get;
            try (RawStreamClient c = RawStreamClient.loggedIn(s, "exp", "exp-pw", "r")) {
                Element slot = requestSlot(c, "old.txt", 3, null);
                assertThat(put(url(slot, "put"), "old".getBytes(StandardCharsets.US_ASCII), null)).isEqualTo(200);
                get = url(slot, "get");
            }
            HttpClient http = HttpClient.newBuilder().sslContext(s.sslContext()).build();
            // The first GET finds the object and records the upload; expiry counts from then.
            assertThat(http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(302);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s3.has(id(get)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(s3.has(id(get))).as("the object is deleted once expired").isFalse();
            assertThat(http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void anUnreachableBucketStopsStartUp(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("PARLEY_UPLOAD_S3_BUCKET", "no-such-bucket");
        assertThatThrownBy(() -> TestServer.start(dir, env).close()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upload.s3Bucket: bucket no-such-bucket is not reachable");
        env.remove("PARLEY_UPLOAD_S3_BUCKET");
        assertThatThrownBy(() -> TestServer.start(dir, env).close()).isInstanceOf(ConfigException.class)
                .hasMessage("upload.s3Bucket: must be set when upload.storage is s3");
    }
}
