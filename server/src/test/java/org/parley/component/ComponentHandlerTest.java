package org.parley.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.route.Handlers;
import org.parley.route.IqTracker;
import org.parley.route.LocalDirectory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.xml.Element;
import org.parley.xml.XmlEncoder;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/** The component pipeline through {@link EmbeddedChannel}: bytes in, bytes out, no sockets. */
class ComponentHandlerTest {
    private static final Jid SERVER = Jid.domain("example.org");
    private static final String HEADER = "<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='%s'>";

    private final LocalDirectory directory = new LocalDirectory();
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private EmbeddedChannel channel;
    private UserSession juliet;

    /** A user's session that records what the router hands it. */
    static final class UserSession implements Session {
        final List<Stanza> delivered = new CopyOnWriteArrayList<>();
        private final Jid jid;

        UserSession(Jid jid) {
            this.jid = jid;
        }

        @Override
        public Jid jid() {
            return jid;
        }

        @Override
        public void deliver(Stanza stanza) {
            delivered.add(stanza);
        }

        @Override
        public void close(StreamError error) {
        }

        @Override
        public Stanza presence() {
            return Stanza.presence(jid, null, null);
        }

        @Override
        public void updatePresence(Stanza presence) {
        }

        @Override
        public boolean isSecure() {
            return true;
        }

        @Override
        public <T> T get(SessionKey<T> key) {
            return null;
        }

        @Override
        public <T> void put(SessionKey<T> key, T value) {
        }
    }

    @BeforeEach
    void setUp() {
        Handlers handlers = new Handlers();
        handlers.seal();
        Map<String, String> secrets = Map.of("chat.example.org", "s3cret");
        Router router = new Router(SERVER, directory, handlers, "juliet"::equals, new IqTracker(timer),
                new ComponentRoutes(secrets));
        ComponentServices services = new ComponentServices(SERVER, secrets, directory, router, Runnable::run);
        channel = new EmbeddedChannel(new XmlStreamDecoder(new XmlLimits(65536, 32)),
                new XmlEncoder(ComponentNamespaces.ACCEPT), new ComponentHandler(services, new Object()));
        juliet = new UserSession(Jid.of("juliet@example.org/balcony"));
        directory.bind(juliet);
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        timer.shutdownNow();
    }

    private void in(String xml) {
        channel.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    private String out() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    /** Opens the stream and returns the stream id the server chose. */
    private String open(String domain) {
        in(String.format(HEADER, domain));
        String header = out();
        Matcher m = Pattern.compile("id=\"([^\"]+)\"").matcher(header);
        assertThat(m.find()).as("a stream id in %s", header).isTrue();
        assertThat(header).contains("xmlns=\"jabber:component:accept\"").contains("from=\"" + domain + "\"")
                .doesNotContain(" version=\"");
        return m.group(1);
    }

    private void connect() {
        String id = open("chat.example.org");
        in("<handshake>" + ComponentHandler.expectedHandshake(id, "s3cret") + "</handshake>");
        assertThat(out()).isEqualTo("<handshake/>");
    }

    @Test
    void theHandshakeIsTheHexSha1OfStreamIdAndSecret() {
        // The stream id of XEP-0114's examples with the secret "secret"; the value was computed
        // independently (Python hashlib.sha1(b'3BF96D32secret').hexdigest()).
        assertThat(ComponentHandler.expectedHandshake("3BF96D32", "secret")).isEqualTo("b09ea9b3b7f586be8a08d0a3dd7466f110aeb136");
    }

    @Test
    void aGoodHandshakeBindsTheComponentUnderItsDomain() {
        connect();
        assertThat(directory.session(Jid.of("chat.example.org/component"))).isNotNull();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void anUpperCaseDigestIsAccepted() {
        String id = open("chat.example.org");
        in("<handshake>" + ComponentHandler.expectedHandshake(id, "s3cret").toUpperCase() + "</handshake>");
        assertThat(out()).isEqualTo("<handshake/>");
    }

    @Test
    void aBadHandshakeIsNotAuthorizedAndCloses() {
        open("chat.example.org");
        in("<handshake>0000</handshake>");
        assertThat(out()).contains("<not-authorized").endsWith("</stream:stream>");
        assertThat(channel.isOpen()).isFalse();
        assertThat(directory.session(Jid.of("chat.example.org/component"))).isNull();
    }

    @Test
    void anUnknownDomainIsHostUnknown() {
        in(String.format(HEADER, "nope.example.org"));
        assertThat(out()).contains("<host-unknown").endsWith("</stream:stream>");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClientStreamIsTheWrongNamespace() {
        in("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='chat.example.org'>");
        assertThat(out()).contains("<invalid-namespace");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void stanzasBeforeTheHandshakeAreNotAuthorized() {
        open("chat.example.org");
        in("<message from='chat.example.org' to='juliet@example.org'><body>x</body></message>");
        assertThat(out()).contains("<not-authorized");
        assertThat(juliet.delivered).isEmpty();
    }

    @Test
    void aComponentStanzaIsRoutedAsJabberClient() {
        connect();
        in("<message from='bot@chat.example.org' to='juliet@example.org/balcony' type='chat'><body>hi</body></message>");
        assertThat(juliet.delivered).hasSize(1);
        Element m = juliet.delivered.get(0).element();
        assertThat(m.namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(m.childText("body", Namespaces.CLIENT)).isEqualTo("hi");
    }

    @Test
    void aSubdomainFromIsTheComponentsToo() {
        connect();
        in("<message from='room@muc.chat.example.org' to='juliet@example.org/balcony'><body>hi</body></message>");
        assertThat(juliet.delivered).hasSize(1);
    }

    @Test
    void aFromOutsideTheDomainIsInvalidFrom() {
        connect();
        in("<message from='romeo@example.org' to='juliet@example.org/balcony'><body>hi</body></message>");
        assertThat(out()).contains("<invalid-from");
        assertThat(juliet.delivered).isEmpty();
        assertThat(directory.session(Jid.of("chat.example.org/component"))).as("unbound on close").isNull();
    }

    @Test
    void aStanzaWithoutToIsImproperAddressing() {
        connect();
        in("<message from='bot@chat.example.org'><body>hi</body></message>");
        assertThat(out()).contains("<improper-addressing");
    }

    @Test
    void stanzasForTheDomainAreWrittenInTheComponentNamespace() {
        connect();
        Session component = directory.session(Jid.of("chat.example.org/component"));
        component.deliver(Stanza.message(juliet.jid(), Jid.of("bot@chat.example.org"), "chat",
                Element.builder("body", Namespaces.CLIENT).text("hello").build()));
        channel.runPendingTasks();
        String written = out();
        assertThat(written).startsWith("<message ").contains("<body>hello</body>").doesNotContain("jabber:client");
    }

    @Test
    void closingTheConnectionUnbinds() {
        connect();
        channel.close();
        assertThat(directory.session(Jid.of("chat.example.org/component"))).isNull();
    }

    @Test
    void aSecondConnectionForTheDomainIsAConflict() {
        connect();
        Handlers handlers = new Handlers();
        handlers.seal();
        Map<String, String> secrets = Map.of("chat.example.org", "s3cret");
        Router router = new Router(SERVER, directory, handlers, u -> false, new IqTracker(timer),
                new ComponentRoutes(secrets));
        EmbeddedChannel second = new EmbeddedChannel(new XmlStreamDecoder(new XmlLimits(65536, 32)),
                new XmlEncoder(ComponentNamespaces.ACCEPT),
                new ComponentHandler(new ComponentServices(SERVER, secrets, directory, router, Runnable::run),
                        new Object()));
        second.writeInbound(Unpooled.copiedBuffer(String.format(HEADER, "chat.example.org"), StandardCharsets.UTF_8));
        ByteBuf header = second.readOutbound();
        Matcher m = Pattern.compile("id=\"([^\"]+)\"").matcher(header.toString(StandardCharsets.UTF_8));
        header.release();
        assertThat(m.find()).isTrue();
        second.writeInbound(Unpooled.copiedBuffer("<handshake>" + ComponentHandler.expectedHandshake(m.group(1), "s3cret")
                + "</handshake>", StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = second.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        assertThat(sb.toString()).contains("<conflict");
        assertThat(channel.isActive()).as("the first connection stays").isTrue();
        second.finishAndReleaseAll();
    }
}
