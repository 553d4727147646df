package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmppConnectionTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='bench.local' version='1.0'>";

    private final List<String> events = new ArrayList<>();
    private final XmppConnection.Listener listener = new XmppConnection.Listener() {
        @Override
        public void online(XmppConnection c) {
            events.add("online " + c.user());
        }

        @Override
        public void registered(XmppConnection c, boolean created) {
            events.add("registered " + created);
        }

        @Override
        public void failed(XmppConnection c, String reason) {
            events.add("failed " + reason);
        }

        @Override
        public void message(XmppConnection c, String stanza) {
            events.add("message " + stanza);
        }
    };

    private static Target target(String mech) {
        return new Target("127.0.0.1", 5522, "bench.local", false, mech, "pw", null,
                new ScramCache(null, Slice.parse("0/1", null)));
    }

    private static EmbeddedChannel channel(XmppConnection conn) {
        return new EmbeddedChannel(conn.splitter(), conn);
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            sb.append(b.toString(StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static void serverSays(EmbeddedChannel ch, String xml) {
        ch.writeInbound(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
    }

    @Test
    void logsInWithPlainWhenOfferedThenBindsAndSendsPresence() {
        XmppConnection conn = new XmppConnection(target("auto"), 7, XmppConnection.Mode.LOGIN, listener);
        EmbeddedChannel ch = channel(conn);
        assertThat(written(ch)).contains("<stream:stream to='bench.local'");
        serverSays(ch, HEADER + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
        String creds = Base64.getEncoder().encodeToString("\0u00007\0pw".getBytes(StandardCharsets.UTF_8));
        assertThat(written(ch)).isEqualTo("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + creds + "</auth>");
        serverSays(ch, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        assertThat(written(ch)).startsWith("<?xml version='1.0'?><stream:stream");
        serverSays(ch, HEADER + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
        assertThat(written(ch)).contains("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>");
        serverSays(ch, "<iq type='result' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<jid>u00007@bench.local/lg</jid></bind></iq>");
        assertThat(written(ch)).isEqualTo("<presence/>");
        assertThat(conn.isOnline()).isTrue();
        serverSays(ch, "<message from='u00001@bench.local/lg' type='chat'><body>T1 S0 x</body></message>");
        serverSays(ch, "<iq type='get' id='p1' from='bench.local'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(written(ch)).isEqualTo("<iq type='result' id='p1' to='bench.local'/>");
        assertThat(events).containsExactly("online 7",
                "message <message from='u00001@bench.local/lg' type='chat'><body>T1 S0 x</body></message>");
    }

    @Test
    void fallsBackToScramWhenPlainIsNotOffered() {
        XmppConnection conn = new XmppConnection(target("auto"), 1, XmppConnection.Mode.LOGIN, listener);
        EmbeddedChannel ch = channel(conn);
        written(ch);
        serverSays(ch, HEADER + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + "<mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
        assertThat(written(ch)).contains("mechanism='SCRAM-SHA-1'");
        serverSays(ch, "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        assertThat(events).singleElement().asString().startsWith("failed auth failed");
        assertThat(ch.isActive()).isFalse();
    }

    @Test
    void registrationTreatsAnExistingAccountAsDone() {
        XmppConnection conn = new XmppConnection(target("auto"), 3, XmppConnection.Mode.REGISTER, listener);
        EmbeddedChannel ch = channel(conn);
        written(ch);
        serverSays(ch, HEADER + "<stream:features><register xmlns='http://jabber.org/features/iq-register'/></stream:features>");
        assertThat(written(ch)).contains("<username>u00003</username><password>pw</password>");
        serverSays(ch, "<iq type='error' id='reg1'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        assertThat(events).containsExactly("registered false");
    }
}
