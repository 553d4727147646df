package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.Clients;
import org.parley.testing.RawTextClient;
import org.parley.testing.TestServer;

/** RFC 6120 §4.9.3.22: when the server stops, every open stream ends with system-shutdown. */
class ShutdownTest {

    @Test
    void connectedClientsReceiveSystemShutdown(@TempDir Path dir) throws Exception {
        TestServer server = TestServer.start(dir);
        Clients clients = new Clients(server);
        server.createUser("sd-a", "pw");
        server.createUser("sd-b", "pw");
        XMPPTCPConnection a = clients.login("sd-a", "pw");
        XMPPTCPConnection b = clients.login("sd-b", "pw");
        BlockingQueue<Exception> errors = new LinkedBlockingQueue<>();
        ConnectionListener listener = new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                errors.add(e);
            }
        };
        a.addConnectionListener(listener);
        b.addConnectionListener(listener);

        server.close();

        for (XMPPConnection ignored : new XMPPConnection[] {a, b}) {
            Exception e = errors.poll(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(StreamErrorException.class);
            assertThat(((StreamErrorException) e).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.system_shutdown);
        }
        assertThat(a.isConnected()).isFalse();
        assertThat(b.isConnected()).isFalse();
    }

    @Test
    void aStreamStillNegotiatingReceivesSystemShutdownToo(@TempDir Path dir) throws Exception {
        TestServer server = TestServer.start(dir);
        try (RawTextClient raw = RawTextClient.connect(server)) {
            raw.openStream();
            raw.expect("</stream:features>");

            server.close();

            assertThat(raw.awaitClosed(Duration.ofSeconds(5)))
                    .isEqualTo("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                            + "</stream:error></stream:stream>");
        }
    }
}
