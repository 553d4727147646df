package org.parley.cluster;

import static org.parley.cluster.ClusterTest.waitFor;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server of the test's own, so a test can stop and restart Redis without touching the
 * shared one. Without the binary the test is skipped, except under CI=true.
 */
final class PrivateRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private PrivateRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static PrivateRedis start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrivateRedis redis = new PrivateRedis(dir, port);
        redis.restart();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again, empty) and waits until it answers. */
    void restart() throws Exception {
        String binary = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
                .filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        if (binary == null) {
            Assumptions.assumeFalse(!"true".equals(System.getenv("CI")), "redis-server not installed");
            throw new AssertionError("redis-server not installed");
        }
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        RedisClient client = RedisClient.create(url());
        try {
            waitFor(() -> {
                try (StatefulRedisConnection<String, String> c = client.connect()) {
                    return "PONG".equals(c.sync().ping());
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } finally {
            client.shutdown();
        }
    }

    /** SIGKILL: every node loses Redis at once. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
