package org.parley.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.parley.Server;
import org.parley.auth.ScramCredentials;
import org.parley.config.Config;
import org.parley.config.ConfigLoader;
import org.parley.module.Module;

/**
 * A real Parley server on loopback with free ports and its own data directory, for protocol
 * tests. Clients trust its generated certificate through {@link #trustManager()}, so TLS is
 * verified as a real client would, not switched off.
 */
public final class TestServer implements AutoCloseable {
    public static final String DOMAIN = "localhost";

    private final Server server;
    private final Path dataDir;

    private TestServer(Server server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server in {@code dir}; {@code overrides} are PARLEY_* settings on top of the test
     * defaults. A null value removes a test default, leaving the server's own default in force.
     */
    public static TestServer start(Path dir, Map<String, String> overrides) {
        return start(dir, overrides, Server.defaultModules());
    }

    /** The standard modules and {@code extra} (test modules, e.g. a service at a subdomain). */
    public static List<Module> standardAnd(List<Module> extra) {
        List<Module> modules = new ArrayList<>(Server.defaultModules());
        modules.addAll(extra);
        return modules;
    }

    /** A server with these modules, as {@link #start(Path, Map)} otherwise. */
    public static TestServer start(Path dir, Map<String, String> overrides, List<Module> modules) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", dir.toString());
        env.put("PARLEY_C2S_BIND_ADDRESS", "127.0.0.1");
        env.put("PARLEY_C2S_PORT", "0");
        env.put("PARLEY_C2S_DIRECT_TLS_PORT", "0");
        env.put("PARLEY_AUTH_SASL_FAILURE_DELAY", "50ms");
        // Every test client comes from 127.0.0.1: the per-address limits are tested where they are set.
        env.put("PARLEY_AUTH_FREE_FAILURES", "1000000");
        env.put("PARLEY_AUTH_FREE_ACCOUNT_FAILURES", "1000000");
        env.put("PARLEY_C2S_MAX_UNAUTHENTICATED_PER_ADDRESS", "10000");
        env.put("PARLEY_REGISTRATION_PER_ADDRESS", "1000000");
        env.put("PARLEY_C2S_MAX_INBOUND_STANZAS_PER_SECOND", "1000000");
        env.put("PARLEY_C2S_INBOUND_STANZA_BURST", "1000000");
        env.put("PARLEY_C2S_MAX_INBOUND_BYTES_PER_SECOND", "1000000000");
        env.put("PARLEY_C2S_INBOUND_BYTE_BURST", "1000000000");
        env.put("PARLEY_REGISTRATION_PER_HOUR", "100000000");
        // Test users chat without being each other's contacts: the limit is tested where it is set.
        env.put("PARLEY_STRANGERS_MAX_MESSAGES", "1000000000");
        env.put("PARLEY_REGISTRATION_ENABLED", "true");
        env.put("PARLEY_HTTP_PORT", "0");
        env.put("PARLEY_HTTP_TLS_PORT", "0");
        // -Dparley.transport=nio (or epoll) runs a test on that socket transport instead of the
        // server's default: the nio-transport execution (server/pom.xml) runs the tests tagged
        // "nio" so, and any part of the suite can be run so by hand.
        String transport = System.getProperty("parley.transport");
        if (transport != null) {
            env.put("PARLEY_NETWORK_TRANSPORT", transport);
        }
        env.putAll(overrides);
        env.values().removeIf(Objects::isNull);
        Config config = ConfigLoader.load(null, env, Server.sections(modules));
        Server server = new Server(config, modules);
        server.start();
        return new TestServer(server, dir);
    }

    public static TestServer start(Path dir) {
        return start(dir, Map.of());
    }

    public Server server() {
        return server;
    }

    public int c2sPort() {
        return server.c2sPort();
    }

    public int directTlsPort() {
        return server.directTlsPort();
    }

    /** Creates an account directly in the store, as the CLI would. */
    public void createUser(String username, String password) {
        server.stores().accounts().create(username, ScramCredentials.deriveAll(password, 4096, new SecureRandom()));
    }

    /** The configured domain: {@link #DOMAIN} unless overridden with PARLEY_DOMAIN. */
    public String domain() {
        return server.config().domain();
    }

    /** The server's generated self-signed certificate. */
    public X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(dataDir.resolve("certs").resolve(domain() + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test server's certificate", e);
        }
    }

    /** A trust manager that trusts exactly this server's certificate. */
    public X509TrustManager trustManager() {
        X509Certificate cert = certificate();
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("parley", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test server's certificate", e);
        }
    }

    /** An SSL context trusting this server, for raw TLS clients. */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager()}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
