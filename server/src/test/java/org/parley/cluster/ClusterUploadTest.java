package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.config.ConfigException;
import org.parley.testing.S3TestServer;

/**
 * File sharing in a cluster: the nodes share one bucket, so a file uploaded through one node
 * downloads from every node; a node that would keep files on its own disk does not start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterUploadTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    S3TestServer s3;
    Server a;
    Server b;

    private Map<String, String> withUploads() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put("PARLEY_HTTP_PORT", "0");
        return env;
    }

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        s3 = S3TestServer.start();
        a = cluster.start("a", withUploads());
        b = cluster.start("b", withUploads());
        cluster.createUser("alice", "alice-pw");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aFileUploadedThroughOneNodeDownloadsFromEveryNode() throws Exception {
        XMPPTCPConnection alice = cluster.clients(a).login("alice", "alice-pw", "phone");
        try {
            HttpFileUploadManager uploads = HttpFileUploadManager.getInstanceFor(alice);
            assertThat(uploads.discoverUploadService()).isTrue();
            byte[] content = new byte[150_000];
            new Random(5).nextBytes(content);
            URL url = uploads.uploadFile(Files.write(dir.resolve("shared.bin"), content).toFile());
            assertThat(url.getPort()).isEqualTo(a.httpPort());
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            for (Server node : new Server[] {a, b}) {
                URI there = URI.create("http://127.0.0.1:" + node.httpPort() + url.getPath());
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(there).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as("from node %s", node.httpPort()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(content);
            }
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aNodeKeepingFilesOnItsOwnDiskDoesNotStart() {
        assertThatThrownBy(() -> cluster.start("c", Map.of("PARLEY_UPLOAD_STORAGE", "files")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upload.storage: the nodes of a cluster must share their files: set s3");
    }
}
