package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Namespaces;

/**
 * Connections that do not log in: c2s.authTimeout ends a stream not bound in time — an idle one
 * and one that drips its bytes alike — and c2s.maxUnauthenticatedPerAddress refuses one address's
 * connections past the cap with policy-violation, while other addresses, and that address once
 * its clients log in, connect as usual. Two logged-in clients keep chatting throughout.
 */
class UnauthenticatedConnectionsTest {

    @RegisterExtension
    static final ServerExtension timed = ServerExtension.withEnv(Map.of("PARLEY_C2S_AUTH_TIMEOUT", "4s"));

    @RegisterExtension
    static final ServerExtension capped = ServerExtension.withEnv(
            Map.of("PARLEY_C2S_MAX_UNAUTHENTICATED_PER_ADDRESS", "3"), "cap-alice", "cap-bob");


    /** The stream error the server ends the stream with, waiting up to {@code seconds}. */
    private static String streamErrorWithin(RawStreamClient c, int seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                return c.expectStreamError();
            } catch (AssertionError quiet) {
                if (System.nanoTime() > end || !String.valueOf(quiet.getMessage()).startsWith("nothing from the server")) {
                    throw quiet;
                }
            }
        }
    }

    private static InetAddress local(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    @Test
    void anIdleConnectionThatNeverAuthenticatesIsClosed() throws Exception {
        try (MessageInbox alice = timed.inbox("to-alice", "a");
             MessageInbox bob = timed.inbox("to-bob", "b");
             RawStreamClient idle = RawStreamClient.directTls(timed.get())) {
            idle.openAndReadFeatures(TestServer.DOMAIN);
            alice.chatWith(bob, "while it waits");
            assertThat(streamErrorWithin(idle, 30)).isEqualTo("connection-timeout");
            alice.chatWith(bob, "after it went");
        }
    }

    @Test
    void aClientThatDripsItsBytesIsClosed() throws Exception {
        try (MessageInbox alice = timed.inbox("drip-alice", "a");
             MessageInbox bob = timed.inbox("drip-bob", "b");
             RawStreamClient drip = RawStreamClient.directTls(timed.get())) {
            byte[] header = ("<?xml version='1.0'?><stream:stream xmlns='" + Namespaces.CLIENT + "' xmlns:stream='"
                    + Namespaces.STREAMS + "' to='" + TestServer.DOMAIN + "' version='1.0'>")
                    .getBytes(StandardCharsets.UTF_8);
            AtomicBoolean stop = new AtomicBoolean();
            Thread dripper = Thread.ofVirtual().start(() -> {
                // One byte every 200 ms: the header alone would take half a minute.
                for (int i = 0; i < header.length && !stop.get(); i++) {
                    try {
                        drip.send(new byte[] {header[i]});
                        Thread.sleep(200);
                    } catch (Exception gone) {
                        return;
                    }
                }
            });
            try {
                alice.chatWith(bob, "while it drips");
                assertThat(streamErrorWithin(drip, 30)).isEqualTo("connection-timeout");
            } finally {
                stop.set(true);
                dripper.join();
            }
            alice.chatWith(bob, "after it went");
        }
    }

    @Test
    void oneAddressHoldsAtMostTheCapOfUnauthenticatedConnections() throws Exception {
        List<RawStreamClient> held = new ArrayList<>();
        try (MessageInbox alice = capped.inbox("cap-alice", "a");
             MessageInbox bob = capped.inbox("cap-bob", "b")) {
            for (int i = 0; i < 3; i++) {
                RawStreamClient c = RawStreamClient.directTlsFrom(capped.get(), local(2));
                held.add(c);
                assertThat(c.openAndReadFeatures(TestServer.DOMAIN).name()).isEqualTo("features");
            }
            try (RawStreamClient fourth = RawStreamClient.directTlsFrom(capped.get(), local(2))) {
                fourth.open(TestServer.DOMAIN);
                assertThat(fourth.expectStreamError()).isEqualTo("policy-violation");
            }
            alice.chatWith(bob, "past the cap");
            try (RawStreamClient elsewhere = RawStreamClient.directTlsFrom(capped.get(), local(3))) {
                elsewhere.openAndReadFeatures(TestServer.DOMAIN);
                assertThat(elsewhere.authPlain("cap-alice", ServerExtension.password("cap-alice")).name())
                        .as("another address is not capped").isEqualTo("success");
            }
            // One of the three logs in: its address has room for one more.
            RawStreamClient first = held.getFirst();
            assertThat(first.authPlain("cap-bob", ServerExtension.password("cap-bob")).name()).isEqualTo("success");
            try (RawStreamClient again = RawStreamClient.directTlsFrom(capped.get(), local(2))) {
                again.open(TestServer.DOMAIN);
                assertThat(again.next()).isInstanceOf(StreamHeader.class);
                assertThat(((Element) again.next()).name()).isEqualTo("features");
            }
            alice.chatWith(bob, "at the end");
        } finally {
            held.forEach(RawStreamClient::close);
        }
    }
}
