package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;

/** The XMPP half of a WebSocket pipeline on an embedded channel: frames in, session calls and frames out. */
class WebSocketHandlerTest {
    private static final String OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>";

    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    private final RecordingInput input = new RecordingInput();
    private EmbeddedChannel channel;
    private WebSocketConnection connection;

    @BeforeEach
    void start() throws Exception {
        channel = new EmbeddedChannel(false, false);
        channel.freezeTime(); // timers (c2s.closeTimeout) fire when a test advances the clock, however slow the machine
        connection = new WebSocketConnection(channel, Jid.domain("localhost"), true, Long.MAX_VALUE, null, LINGER);
        channel.register();
        WebSocketEndpoint.xmpp(channel.pipeline(), connection, new XmlStreamDecoder(new XmlLimits(1000, 10)), c -> {
            input.connection = c;
            return input;
        }, 2, new InboundShaper(new InboundRates.Limits(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
                Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE)), new org.parley.c2s.InboundBudget(1L << 40));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void text(String xml) {
        channel.writeInbound(new TextWebSocketFrame(xml));
    }

    /** The next frame written, as text (control frames by their class name). */
    private String out() {
        channel.runPendingTasks();
        Object frame = channel.readOutbound();
        if (frame == null) {
            return null;
        }
        try {
            return frame instanceof TextWebSocketFrame t ? t.text() : frame.getClass().getSimpleName();
        } finally {
            ((WebSocketFrame) frame).release();
        }
    }

    @Test
    void openIsTheHeaderEachMessageAnElementAndCloseTheEnd() {
        text(OPEN);
        text("<message xmlns='jabber:client' to='bob@localhost'><body>hi</body></message>");
        text("<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>");
        text("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertThat(input.calls).containsExactly("header to=localhost", "element message", "element iq", "end");
    }

    @Test
    void theOpenCarriesItsAttributesAsAStreamHeader() {
        Element open = org.parley.xml.XmlStrings.parse(OPEN.replace("/>", " xml:lang='de'/>"));
        var header = WebSocketHandler.header(open);
        assertThat(header.to()).isEqualTo("localhost");
        assertThat(header.version()).isEqualTo("1.0");
        assertThat(header.lang()).isEqualTo("de");
        assertThat(header.namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(header.streamNamespace()).isEqualTo(Namespaces.STREAMS);
    }

    @Test
    void whitespaceAroundAnElementIsAllowedAndAWhitespaceMessageIgnored() {
        text("\n  " + OPEN + "\r\n");
        text("   ");
        text(" <presence/> ");
        assertThat(input.calls).containsExactly("header to=localhost", "element presence");
    }

    @Test
    void twoElementsInAMessageFailWithoutHandingEitherOver() {
        text(OPEN);
        text("<presence/><presence/>");
        assertThat(input.calls).containsExactly("header to=localhost", "failed not-well-formed");
        text("<presence/>");
        assertThat(input.calls).hasSize(2);
    }

    @Test
    void anUnfinishedElementFails() {
        text(OPEN);
        text("<message><body>");
        assertThat(input.calls).containsExactly("header to=localhost", "failed not-well-formed");
    }

    @Test
    void anElementWithSomethingAfterItFails() {
        text(OPEN);
        text("<presence/><mess");
        assertThat(input.calls).containsExactly("header to=localhost", "failed not-well-formed");
    }

    @Test
    void restrictedXmlAndLimitsAreTheTcpStreams() {
        text(OPEN);
        text("<message><!-- no --></message>");
        assertThat(input.calls).containsExactly("header to=localhost", "failed restricted-xml");
    }

    @Test
    void aBinaryMessageIsRefused() {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(OPEN.getBytes(StandardCharsets.UTF_8))));
        assertThat(input.calls).containsExactly("failed unsupported-encoding");
    }

    @Test
    void pingsAreAnsweredAndAQuietServerPings() {
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        channel.writeInbound(new PingWebSocketFrame(data));
        assertThat(out()).isEqualTo("PongWebSocketFrame");
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(out()).isEqualTo("PingWebSocketFrame");
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(input.calls).containsExactly("silent");
        channel.writeInbound(new PongWebSocketFrame());
        assertThat(input.calls).containsExactly("silent");
    }

    @Test
    void theClientsClosingHandshakeIsAnsweredAndTheSessionHearsOfTheLoss() {
        channel.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        assertThat(out()).isEqualTo("CloseWebSocketFrame");
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(input.calls).containsExactly("disconnected");
    }

    @Test
    void stanzasDeclareJabberClientAndStreamElementsTheirPrefix() {
        connection.open("s1", Jid.domain("localhost"));
        connection.send(Element.builder("features", Namespaces.STREAMS)
                .child(Element.builder("mechanisms", Namespaces.SASL).textChild("mechanism", Namespaces.SASL, "PLAIN")
                        .build()).build());
        connection.write(Element.builder("message", Namespaces.CLIENT).attr("to", "a@localhost").build());
        assertThat(out()).isEqualTo("<open xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\" id=\"s1\" from=\"localhost\""
                + " version=\"1.0\" xml:lang=\"en\"/>");
        assertThat(out()).isEqualTo("<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">"
                + "<mechanisms xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><mechanism>PLAIN</mechanism></mechanisms>"
                + "</stream:features>");
        assertThat(out()).isEqualTo("<message xmlns=\"jabber:client\" to=\"a@localhost\"/>");
    }

    @Test
    void closingWithAnErrorOpensFirstThenErrorCloseAndTheClosingFrame() {
        connection.close(StreamError.of(StreamError.Condition.HOST_UNKNOWN));
        assertThat(out()).startsWith("<open ");
        assertThat(out()).isEqualTo("<stream:error xmlns:stream=\"http://etherx.jabber.org/streams\">"
                + "<host-unknown xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/></stream:error>");
        assertThat(out()).isEqualTo("<close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"/>");
        assertThat(out()).isEqualTo("CloseWebSocketFrame");
        connection.write(Element.builder("message", Namespaces.CLIENT).build());
        assertThat(out()).isNull();
    }

    @Test
    void afterItsClosingFrameTheServerReadsAndDropsUntilTheClientsClosingFrame() {
        text(OPEN);
        connection.close(StreamError.of(StreamError.Condition.POLICY_VIOLATION));
        assertThat(out()).startsWith("<open ");
        assertThat(out()).contains("policy-violation");
        assertThat(out()).isEqualTo("<close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"/>");
        assertThat(out()).isEqualTo("CloseWebSocketFrame");
        // A client still sending: read (so closing never meets unread input, which resets the
        // connection and can take the error with it) and dropped, not parsed or counted.
        text("<message xmlns='jabber:client' to='bob@localhost'><body>more</body></message>");
        text("not even xml <<");
        assertThat(channel.isOpen()).isTrue();
        assertThat(input.calls).containsExactly("header to=localhost");
        channel.writeInbound(new CloseWebSocketFrame(1000, ""));
        channel.runPendingTasks();
        assertThat(out()).as("no second closing frame").isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(input.calls).containsExactly("header to=localhost", "disconnected");
    }

    @Test
    void aClientThatNeverAnswersTheClosingFrameIsClosedAfterTheLinger() throws Exception {
        connection.close(null);
        while (out() != null) {
            // <open/>, <close/>, the closing frame
        }
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(LINGER.toMillis() - 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("until c2s.closeTimeout").isTrue();
        channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aStoppingServerWithSeeOtherUriRedirectsInsteadOfTheError() throws Exception {
        assertThat(closedRedirecting(StreamError.Condition.SYSTEM_SHUTDOWN)).as("RFC 7395 §3.6.1: no error, a redirect")
                .containsExactly("<close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\""
                        + " see-other-uri=\"wss://chat.example/xmpp-websocket\"/>", "CloseWebSocketFrame");
    }

    @Test
    void otherErrorsAreNotRedirected() throws Exception {
        List<String> frames = closedRedirecting(StreamError.Condition.POLICY_VIOLATION);
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0)).contains("policy-violation");
        assertThat(frames.get(1)).isEqualTo("<close xmlns=\"urn:ietf:params:xml:ns:xmpp-framing\"/>");
    }

    /** The frames after the {@code <open/>} of a connection with a see-other-uri, closed with {@code condition}. */
    private static List<String> closedRedirecting(StreamError.Condition condition) throws Exception {
        EmbeddedChannel other = new EmbeddedChannel(false, false);
        WebSocketConnection redirecting = new WebSocketConnection(other, Jid.domain("localhost"), true, Long.MAX_VALUE,
                "wss://chat.example/xmpp-websocket", LINGER);
        other.register();
        other.pipeline().addLast(new WebSocketEncoder());
        try {
            redirecting.close(StreamError.of(condition));
            other.runPendingTasks();
            List<String> frames = new java.util.ArrayList<>();
            for (Object frame; (frame = other.readOutbound()) != null; ) {
                frames.add(frame instanceof TextWebSocketFrame t ? t.text() : frame.getClass().getSimpleName());
                ((WebSocketFrame) frame).release();
            }
            assertThat(frames.get(0)).startsWith("<open ");
            return frames.subList(1, frames.size());
        } finally {
            other.finishAndReleaseAll();
        }
    }
}
