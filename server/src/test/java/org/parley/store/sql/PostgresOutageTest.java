package org.parley.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.MessageInbox;
import org.parley.testing.TcpProxy;
import org.parley.testing.TestServer;

/**
 * PostgreSQL becoming unreachable under a running server (its link cut by a proxy, so other
 * tests keep their database): clients get prompt, clear errors instead of hangs or silence,
 * nothing is half-written, and everything works again once the database is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOutageTest {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3";

    @TempDir
    static Path dir;
    private final String database = "parley_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    private TcpProxy proxy;
    private TestServer server;
    private Clients clients;

    @BeforeAll
    void start() throws Exception {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            String message = "PostgreSQL not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(message, e);
            }
            Assumptions.abort(message);
        }
        proxy = new TcpProxy(5432);
        server = TestServer.start(dir, Map.of(
                "PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database
                        + "?user=postgres&connectTimeout=2",
                "PARLEY_DATABASE_CONNECT_TIMEOUT", "1s"));
        clients = new Clients(server);
        for (String u : new String[] {"pia", "quin", "rae"}) {
            server.createUser(u, u + "-pw");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        try (Connection admin = DriverManager.getConnection(ADMIN_URL); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void clientsGetClearErrorsDuringTheOutageAndNothingIsHalfWritten() throws Exception {
        try (MessageInbox pia = MessageInbox.login(clients, "pia", "pia-pw", "desk")) {
            proxy.cut();

            // A message that needs offline storage bounces with the reason instead of vanishing.
            pia.sendChat("quin@localhost", "while the database is down");
            Message bounce = pia.next();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.internal_server_error);

            // An IQ that needs the store gets an error reply, not a timeout.
            RosterPacket get = new RosterPacket();
            XMPPErrorException rosterError = catchThrowableOfType(XMPPErrorException.class,
                    () -> pia.connection().createStanzaCollectorAndSend(get).nextResultOrThrow(10_000));
            assertThat(rosterError.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.internal_server_error);

            // A new login is refused with a temporary failure, so the client retries later.
            SASLErrorException loginError = catchThrowableOfType(SASLErrorException.class,
                    () -> clients.login("rae", "rae-pw"));
            assertThat(loginError.getSASLFailure().getSASLErrorString()).isEqualTo("temporary-auth-failure");

            proxy.restore();

            // Recovery without a restart: logins, storage and the roster work again, and the
            // bounced message was not stored behind the sender's back.
            awaitLogin("rae", "rae-pw");
            pia.sendChat("quin@localhost", "after the outage");
            try (MessageInbox quin = MessageInbox.login(clients, "quin", "quin-pw", "phone")) {
                assertThat(quin.next().getBody()).isEqualTo("after the outage");
                assertThat(quin.poll(Duration.ofMillis(300))).isNull();
            }
            RosterPacket roster = pia.connection().createStanzaCollectorAndSend(new RosterPacket()).nextResultOrThrow(10_000);
            assertThat(roster.getType()).isEqualTo(org.jivesoftware.smack.packet.IQ.Type.result);
        }
    }

    private void awaitLogin(String user, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                clients.login(user, password).disconnect();
                return;
            } catch (SASLErrorException | SmackException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
