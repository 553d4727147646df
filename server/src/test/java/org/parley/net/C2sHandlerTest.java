package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.c2s.InboundBudget;
import org.parley.net.tls.TlsContexts;
import org.parley.xml.Element;
import org.parley.xml.XmlEncoder;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/** The session handler alone, with a stand-in session: what it hands over, and what it does itself. */
class C2sHandlerTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' "
            + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
    private static final int MAX_QUEUED = 2;

    private final RecordingInput input = new RecordingInput();
    /** Small enough for a test to go over it with a few stanzas (each counts 256 bytes and its size). */
    private final InboundBudget budget = new InboundBudget(1000);
    private EmbeddedChannel channel;
    private TcpConnection connection;

    private void start(SslContext startTls) throws Exception {
        channel = new EmbeddedChannel(false, false);
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        connection = new TcpConnection(channel, Jid.domain("localhost"), false, startTls, decoder, java.time.Duration.ofMinutes(1), Long.MAX_VALUE,
                java.time.Duration.ofSeconds(2));
        channel.pipeline().addLast(ConnectionGuard.NAME, new ConnectionGuard(connection.id(), java.time.Duration.ofMinutes(1)));
        channel.pipeline().addLast(decoder, new XmlEncoder(), new C2sHandler(connection, c -> {
            input.connection = c;
            return input;
        }, MAX_QUEUED, new InboundShaper(new InboundRates.Limits(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
                Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE)), decoder, budget));
        channel.register();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void in(String xml) {
        Wire.in(channel, xml);
    }

    private String out() {
        return Wire.out(channel);
    }

    @Test
    void handsOverTheStreamItemsInOrder() throws Exception {
        start(null);
        in(HEADER + "<message to='a@localhost'/><presence/>");
        in("</stream:stream>");
        assertThat(input.calls).containsExactly("header to=localhost", "element message", "element presence", "end");
    }

    @Test
    void badXmlFailsTheStreamWithItsCondition() throws Exception {
        start(null);
        in(HEADER + "<message><!-- a comment --></message>");
        assertThat(input.calls).containsExactly("header to=localhost", "failed restricted-xml");
    }

    @Test
    void anOversizedStanzaIsAPolicyViolation() throws Exception {
        start(null);
        in(HEADER + "<message><body>" + "x".repeat(XmlLimits.defaults().maxStanzaBytes()) + "</body></message>");
        assertThat(input.calls).containsExactly("header to=localhost", "failed policy-violation");
    }

    @Test
    void anIoErrorDropsTheConnection() throws Exception {
        start(null);
        channel.pipeline().fireExceptionCaught(new IOException("connection reset by peer"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(input.calls).containsExactly("disconnected");
    }

    @Test
    void readingPausesWhileTheSessionIsBehindAndResumesWhenItCaughtUp() throws Exception {
        start(null);
        in(HEADER);
        assertThat(channel.config().isAutoRead()).isTrue();
        input.backlog = MAX_QUEUED + 1;
        in("<message/>");
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(input.caughtUp).hasSize(1);
        input.backlog = 0;
        input.caughtUp.get(0).run();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void theRestOfAReadWaitsUnparsedWhileTheSessionIsBehind() throws Exception {
        start(null);
        in(HEADER);
        input.backlog = MAX_QUEUED + 1;
        // One read of three stanzas, longer than the parser's feed (16 KiB): the first is handed
        // over, the rest of what the parser was fed is used up, and what it was not fed waits.
        in("<message id='1'/><message id='2'><body>" + "z".repeat(20_000) + "</body></message><message id='3'/>");
        assertThat(input.calls).containsExactly("header to=localhost", "element message");
        assertThat(channel.config().isAutoRead()).isFalse();
        input.backlog = 0;
        input.caughtUp.get(0).run();
        channel.runPendingTasks();
        assertThat(input.calls).containsExactly("header to=localhost", "element message", "element message",
                "element message");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aSessionWithInputWaitingStopsReadingWhileTheServerIsOverItsBudget() throws Exception {
        start(null);
        in(HEADER);
        budget.queued(2000); // other sessions' input, over the bound of 1000
        input.backlog = 2;   // this session has something else waiting too
        in("<message id='1'/>");
        in("<message id='2'/>"); // a read that came anyway (TLS asks for more): it waits unparsed
        assertThat(input.calls).containsExactly("header to=localhost", "element message");
        assertThat(channel.config().isAutoRead()).isFalse();
        budget.processed(1000); // at 1000: over no longer, but not yet down to half
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        budget.processed(600); // at 400, half the bound or less: the held stanza is parsed, reading resumes
        channel.runPendingTasks();
        assertThat(input.calls).containsExactly("header to=localhost", "element message", "element message");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aSessionWithNothingWaitingIsReadEvenOverTheBudget() throws Exception {
        start(null);
        in(HEADER);
        budget.queued(2000);
        input.backlog = 1; // only the stanza just handed over
        in("<message id='1'/>");
        in("<message id='2'/>");
        assertThat(input.calls).containsExactly("header to=localhost", "element message", "element message");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aSilentClientIsTheSessionsToCheck() throws Exception {
        start(null);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(input.calls).containsExactly("silent");
    }

    @Test
    void aQuietServerSendsWhitespaceOnlyInsideAnOpenStream() throws Exception {
        start(null);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_WRITER_IDLE_STATE_EVENT);
        assertThat(out()).as("before the server's header a space would precede the XML declaration").isEmpty();
        connection.open("s1", Jid.domain("localhost"));
        connection.send(Element.empty("features", Namespaces.STREAMS));
        assertThat(out()).startsWith("<?xml version='1.0'?><stream:stream").endsWith("<stream:features/>");
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(out()).isEqualTo(" ");
        assertThat(input.calls).isEmpty();
    }

    @Test
    void theEndOfTheConnectionIsHandedOver() throws Exception {
        start(null);
        channel.close();
        assertThat(input.calls).containsExactly("disconnected");
    }

    @Test
    void aFailedTlsHandshakeDropsTheConnection() throws Exception {
        start(null);
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("no")));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connection.isSecure()).isFalse();
    }

    @Test
    void startTlsProceedsInTheClearAndTheHandshakeMakesTheConnectionSecure(@TempDir Path dir) throws Exception {
        start(TlsContexts.server(TlsContexts.generateSelfSigned("localhost", dir)));
        in(HEADER);
        assertThat(connection.canStartTls()).isTrue();
        connection.startTls(Element.empty("proceed", Namespaces.TLS));
        assertThat(out()).isEqualTo("<proceed xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>");
        assertThat(channel.pipeline().names()).startsWith(ConnectionGuard.NAME, C2sListener.TLS);

        SslContext clientTls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        EmbeddedChannel client = new EmbeddedChannel(clientTls.newHandler(ByteBufAllocator.DEFAULT));
        try {
            for (int round = 0; round < 10 && !connection.isSecure(); round++) {
                for (Object b; (b = client.readOutbound()) != null; ) {
                    channel.writeInbound(b);
                }
                channel.runPendingTasks();
                for (Object b; (b = channel.readOutbound()) != null; ) {
                    client.writeInbound(b);
                }
                client.runPendingTasks();
            }
        } finally {
            client.finishAndReleaseAll();
        }
        assertThat(connection.isSecure()).isTrue();
        assertThat(connection.canStartTls()).isFalse();
        assertThat(input.calls).containsExactly("header to=localhost", "secured TLSv1.3");
    }
}
