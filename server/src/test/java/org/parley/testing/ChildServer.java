package org.parley.testing;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A Parley server in a separate JVM ({@code parley start} on the test classpath), so a test can
 * kill it with SIGKILL and check what survived. It serves {@code dataDir}; make the accounts and
 * the certificate first with a {@link TestServer} on the same directory, closed before this starts.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dataDir;

    private ChildServer(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    private static final int START_SECONDS = 120;

    /** Starts the child on a free STARTTLS port (direct TLS off) and waits until it listens. */
    public static ChildServer start(Path dataDir, Map<String, String> overrides) throws Exception {
        return start(dataDir, overrides, List.of());
    }

    /** The same with options for the child's JVM (e.g. {@code -XX:ActiveProcessorCount=1}: a one-CPU server). */
    public static ChildServer start(Path dataDir, Map<String, String> overrides, List<String> jvmOptions)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", dataDir.toString());
        env.put("PARLEY_C2S_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_C2S_PORT", Integer.toString(port));
        env.put("PARLEY_C2S_DIRECT_TLS_PORT", "-1");
        env.put("PARLEY_AUTH_SASL_FAILURE_DELAY", "50ms");
        env.put("PARLEY_HTTP_PORT", "-1");
        env.put("PARLEY_HTTP_TLS_PORT", "-1");
        env.put("PARLEY_STRANGERS_MAX_MESSAGES", "1000000000"); // test users are not each other's contacts
        env.putAll(overrides);
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.parley.cli.ParleyCli", "start"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PARLEY_"));
        pb.environment().putAll(env);
        ChildServer child = new ChildServer(pb.start(), port, dataDir);
        child.awaitListening();
        return child;
    }

    /**
     * Waits for the child's port. The bound only ends a start that failed: a JVM that starts a
     * server takes seconds on an idle machine and well over 30 s on a shared, loaded one.
     */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the child server exited with " + process.exitValue() + "; see "
                        + dataDir.resolve("child.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        close();
        throw new AssertionError("the child server did not listen on " + port + " within " + START_SECONDS + "s");
    }

    public int c2sPort() {
        return port;
    }

    /** Smack clients of the child, trusting the certificate in its data directory. */
    public Clients clients() {
        return new Clients(TestServer.DOMAIN, () -> port, trustManager());
    }

    private X509TrustManager trustManager() {
        try (InputStream in = Files.newInputStream(dataDir.resolve("certs").resolve(TestServer.DOMAIN + ".crt"))) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("parley", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the child server's certificate", e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
