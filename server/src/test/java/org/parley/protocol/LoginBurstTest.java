package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.auth.ScramClient;
import org.parley.auth.ScramCredentials;
import org.parley.store.sql.SqlStores;
import org.parley.testing.PostgresDatabase;
import org.parley.testing.RawStreamClient;
import org.parley.testing.TcpProxy;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * A burst of logins against a database that serves few at a time: 2,000 clients, already
 * connected, all send their SASL {@code <auth/>} at once to a server on PostgreSQL with two pooled
 * connections (the fewest Flyway works with), 2 ms more per round trip (a {@link TcpProxy}), and a
 * 2 s wait for a connection. Before logins took turns ({@code c2s.LoginAdmission}) every credential
 * read went to the pool at once and those still waiting after the 2 s failed with
 * {@code temporary-auth-failure} (1,636 of the 2,000, and 297 more at bind, whose read of the
 * disabled accounts waited as long), with the database busy but healthy: the scale run's failure
 * (bench/cluster.md). Now every login waits its turn and gets in; past {@code auth.maxWaitingLogins}
 * a login is refused at once, and a client that tries again gets in.
 */
class LoginBurstTest {
    private static final int LOGINS = 2_000;
    /** Clients of the burst past the bound, which try again: fewer, as each tries a few times. */
    private static final int RETRYING = 500;
    private static final String PASSWORD = "burst-pw";

    @TempDir
    Path dir;

    private PostgresDatabase db;
    private TcpProxy proxy;
    private TestServer server;
    private final ConcurrentMap<String, byte[]> salted = new ConcurrentHashMap<>();

    @BeforeEach
    void database() throws Exception {
        db = PostgresDatabase.create("loginburst");
        proxy = new TcpProxy(5432);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        proxy.close();
        db.close();
    }

    @Test
    void everyLoginOfABurstWaitsItsTurnAndGetsIn() throws Exception {
        start(Map.of(), LOGINS);
        Burst burst = burst(LOGINS, false);
        assertThat(burst.failures).as("logins that failed, by what the server answered").isEmpty();
        assertThat(burst.bound.get()).as("logins bound").isEqualTo(LOGINS);
        assertThat(burst.mostWaiting).as("logins seen waiting for their turn (else the burst tested nothing)")
                .isGreaterThan(100);
        assertThat(refused()).isZero();
    }

    @Test
    void pastTheBoundALoginIsRefusedAtOnceAndGetsInWhenItTriesAgain() throws Exception {
        start(Map.of("PARLEY_AUTH_MAX_WAITING_LOGINS", "100"), RETRYING);
        Burst burst = burst(RETRYING, true);
        assertThat(burst.bound.get()).as("logins bound in the end").isEqualTo(RETRYING);
        assertThat(burst.failures).as("first answers that were no success").containsOnlyKeys("temporary-auth-failure");
        assertThat(burst.mostWaiting).as("logins waiting at once").isLessThanOrEqualTo(100);
        assertThat(refused()).as("refusals the server counted (retries refused again among them)")
                .isGreaterThanOrEqualTo(burst.failures.get("temporary-auth-failure").get());
    }

    private void start(Map<String, String> extra, int users) throws Exception {
        // The accounts first, through a pool of the store's own, in parallel: one set of
        // credentials for all, whose salted password the clients derive once.
        List<ScramCredentials> credentials = ScramCredentials.deriveAll(PASSWORD, 4096, new SecureRandom());
        SqlStores stores = SqlStores.open(db.url(), 8);
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < users; i++) {
                String user = user(i);
                threads.execute(() -> stores.accounts().create(user, credentials));
            }
        } finally {
            stores.close();
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PARLEY_DATABASE_URL", db.url(proxy.port(), ""),
                "PARLEY_DATABASE_POOL_SIZE", "2", // Flyway holds two at once
                "PARLEY_DATABASE_CONNECT_TIMEOUT", "2s",
                "PARLEY_C2S_ALLOW_PLAINTEXT", "true",
                "PARLEY_C2S_DIRECT_TLS_PORT", "-1"));
        env.putAll(extra);
        server = TestServer.start(dir, env);
        proxy.latency(Duration.ofMillis(2));
    }

    private static String user(int i) {
        return "burst" + i;
    }

    private long refused() {
        FunctionCounter c = server.server().meters().find("parley.c2s.logins.refused").functionCounter();
        return c == null ? -1 : (long) c.count();
    }

    private int waiting() {
        Gauge g = server.server().meters().find("parley.c2s.logins.waiting").gauge();
        return g == null ? 0 : (int) g.value();
    }

    /** What the burst came to. */
    private static final class Burst {
        final AtomicInteger bound = new AtomicInteger();
        /** Answers to a first attempt other than success, by condition. */
        final ConcurrentMap<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        volatile int mostWaiting;
    }

    /** Connects every client, then has them all authenticate and bind at once. */
    private Burst burst(int logins, boolean retry) throws Exception {
        Burst burst = new Burst();
        CountDownLatch connected = new CountDownLatch(logins);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < logins; i++) {
                String user = user(i);
                clients.add(threads.submit(() -> {
                    try (RawStreamClient c = RawStreamClient.plain(server.c2sPort()).patience(Duration.ofSeconds(90))) {
                        c.openAndReadFeatures(TestServer.DOMAIN);
                        connected.countDown();
                        go.await();
                        login(c, user, retry, burst);
                    }
                    return null;
                }));
            }
            assertThat(connected.await(60, TimeUnit.SECONDS)).as("every client connected").isTrue();
            go.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (clients.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < end) {
                burst.mostWaiting = Math.max(burst.mostWaiting, waiting());
                Thread.sleep(5);
            }
            for (Future<?> f : clients) {
                f.get(1, TimeUnit.SECONDS);
            }
        }
        return burst;
    }

    private void login(RawStreamClient c, String user, boolean retry, Burst burst) throws Exception {
        boolean first = true;
        while (true) {
            ScramClient scram = new ScramClient("SCRAM-SHA-1", user, PASSWORD, "n" + System.nanoTime(),
                    (u, salt, iterations, compute) -> salted.computeIfAbsent(
                            java.util.HexFormat.of().formatHex(salt) + iterations, k -> compute.get()));
            Element outcome = c.authScram(scram, "SCRAM-SHA-1");
            if (outcome.is("success", Namespaces.SASL)) {
                break;
            }
            Element condition = outcome.elementIn(Namespaces.SASL);
            String name = condition == null ? outcome.toXml() : condition.name();
            if (first) {
                burst.failures.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            }
            first = false;
            if (!retry || !"temporary-auth-failure".equals(name)) {
                return;
            }
            // As a client backs off before trying again: a second or two, spread.
            Thread.sleep(1_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000));
        }
        c.restart(TestServer.DOMAIN);
        Element reply = c.bind("burst");
        if ("result".equals(reply.attr("type"))) {
            burst.bound.incrementAndGet();
        } else {
            // An IQ error, or the stream's error when the session failed at binding.
            Element condition = reply.is("error", Namespaces.STREAMS) ? reply.elementIn(Namespaces.STREAM_ERRORS) : null;
            burst.failures.computeIfAbsent("bind: " + (condition != null ? condition.name()
                    : RawStreamClient.stanzaErrorCondition(reply)), k -> new AtomicInteger()).incrementAndGet();
        }
    }
}
