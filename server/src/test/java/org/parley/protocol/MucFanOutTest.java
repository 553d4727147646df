package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.BoshClient;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.StanzaClient;
import org.parley.testing.TestServer;
import org.parley.testing.WebSocketClient;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * A room's fan-out (one serialisation, the copies handed to the connections in bulk) keeps what
 * each session promises: every occupant gets each message addressed to its own session, in order,
 * over TCP, WebSocket and BOSH alike; a user who blocked the room gets nothing; a copy written but
 * not acknowledged is sent again on resumption (XEP-0198); an inactive client (XEP-0352) still gets
 * the message at once, after the presences held for it.
 */
@Tag("nio") // run again on NIO too (server/pom.xml, nio-transport)
class MucFanOutTest {
    private static final String SM = "urn:xmpp:sm:3";
    private static final String MUC = "http://jabber.org/protocol/muc";
    private static final String MUC_USER = MUC + "#user";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static String room(String name) {
        return name + "@" + Mucs.SERVICE;
    }

    private static RawStreamClient tcp(String user) throws Exception {
        return server.bound(user, "r");
    }

    private static WebSocketClient web(String user) throws Exception {
        server.account(user);
        return WebSocketClient.loggedIn(server.get(), user, ServerExtension.password(user), "web");
    }

    private static BoshClient bosh(String user) throws Exception {
        server.account(user);
        return BoshClient.loggedIn(server.get(), user, ServerExtension.password(user), "bosh");
    }

    /** Joins {@code room} as {@code nick} and waits for the self-presence (status 110). */
    private static void join(StanzaClient c, String room, String nick) throws Exception {
        c.send("<presence to='" + room + "/" + nick + "'><x xmlns='" + MUC + "'><history maxstanzas='0'/></x></presence>");
        c.expect(e -> e.is("presence", Namespaces.CLIENT) && e.attr("type") == null && isSelf(e), "self-presence in " + room);
    }

    private static boolean isSelf(Element presence) {
        Element x = presence.element("x", MUC_USER);
        return x != null && x.children().stream().anyMatch(n -> n instanceof Element s && s.is("status", MUC_USER)
                && "110".equals(s.attr("code")));
    }

    /** Creates {@code room} as an instant room (XEP-0045 §10.1.2) with {@code c} in it as {@code nick}. */
    private static void create(StanzaClient c, String room, String nick) throws Exception {
        join(c, room, nick);
        c.send("<iq type='set' id='cfg' to='" + room + "'><query xmlns='" + MUC + "#owner'>"
                + "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
        c.expect(e -> "cfg".equals(e.attr("id")) && "result".equals(e.attr("type")), "the room configured");
    }

    private static void say(StanzaClient c, String room, String body) throws Exception {
        c.send("<message to='" + room + "' type='groupchat'><body>" + body + "</body></message>");
    }

    /** The next groupchat message, whatever its body (skipping acknowledgement requests and presences). */
    private static String nextBody(StanzaClient c) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && "groupchat".equals(e.attr("type")), "a groupchat message")
                .childText("body", Namespaces.CLIENT);
    }

    private static Element groupchat(StanzaClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && "groupchat".equals(e.attr("type"))
                && body.equals(e.childText("body", Namespaces.CLIENT)), "groupchat " + body);
    }

    @Test
    void everyOccupantGetsEachMessageAddressedToItselfInOrderOverEveryTransportAndABlockerNone() throws Exception {
        String room = room("fan");
        List<StanzaClient> occupants = new ArrayList<>();
        try (RawStreamClient owner = tcp("fan-owner")) {
            create(owner, room, "owner");
            for (int i = 0; i < 70; i++) {
                StanzaClient c = i % 10 == 9 ? web("fan-w" + i) : i % 20 == 4 ? bosh("fan-b" + i) : tcp("fan-t" + i);
                occupants.add(c);
                join(c, room, "n" + i);
            }
            StanzaClient blocker = occupants.getLast();
            List<StanzaClient> receivers = occupants.subList(0, occupants.size() - 1);
            blocker.send("<iq type='set' id='blk'><block xmlns='urn:xmpp:blocking'><item jid='" + room + "'/></block></iq>");
            blocker.expect(e -> "blk".equals(e.attr("id")), "the block list pushed");

            for (int m = 1; m <= 3; m++) {
                say(owner, room, "m" + m);
            }
            for (StanzaClient c : receivers) {
                for (int m = 1; m <= 3; m++) {
                    Element got = groupchat(c, "m" + m);
                    assertThat(got.attr("to")).as("addressed to the occupant's own session").isEqualTo(c.jid());
                    assertThat(got.attr("from")).isEqualTo(room + "/owner");
                }
            }
            assertThat(groupchat(owner, "m3").attr("to")).isEqualTo(owner.jid());
            assertThat(blocker.quietFor(Duration.ofMillis(300))).as("XEP-0191: nothing from a blocked room").isTrue();
        } finally {
            occupants.forEach(StanzaClient::close);
        }
    }

    /** Authenticated, stream restarted, not bound: where a resumption is sent. */
    private static RawStreamClient authenticated(String user) throws Exception {
        RawStreamClient c = RawStreamClient.directTls(server.get());
        c.openAndReadFeatures(TestServer.DOMAIN);
        c.requireSuccess(c.authPlain(user, ServerExtension.password(user)));
        c.restart(TestServer.DOMAIN);
        return c;
    }

    private static Element sm(StanzaClient c, String name) {
        return c.expect(e -> e.is(name, SM), "<" + name + "/>");
    }

    @Test
    void aRoomMessageWrittenButNotAcknowledgedIsSentAgainOnResumption() throws Exception {
        String room = room("fan-sm");
        try (RawStreamClient owner = tcp("fsm-owner"); RawStreamClient phone = tcp("fsm-phone")) {
            create(owner, room, "owner");
            phone.send("<enable xmlns='" + SM + "' resume='true'/>");
            String id = sm(phone, "enabled").attr("id");
            // Joins and counts what it handles until the ping behind the join is answered (the
            // presences, the subject), then acknowledges all of it.
            phone.send("<presence to='" + room + "/phone'><x xmlns='" + MUC + "'><history maxstanzas='0'/></x></presence>"
                    + "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            int handled = 0;
            for (Element e = phone.element(); ; e = phone.element()) {
                if (Namespaces.CLIENT.equals(e.namespace())) {
                    handled++;
                }
                if ("p1".equals(e.attr("id"))) {
                    break;
                }
            }
            phone.send("<a xmlns='" + SM + "' h='" + handled + "'/>");

            say(owner, room, "written");
            Element written = groupchat(phone, "written");
            phone.close(); // the network goes away before the phone acknowledges it
            say(owner, room, "while away");
            groupchat(owner, "while away");

            try (RawStreamClient back = authenticated("fsm-phone")) {
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='" + handled + "'/>");
                sm(back, "resumed");
                Element again = groupchat(back, "written");
                assertThat(again.attr("to")).isEqualTo(written.attr("to"));
                assertThat(again.attr("from")).isEqualTo(room + "/owner");
                assertThat(nextBody(back)).as("then what came while away").isEqualTo("while away");
                say(owner, room, "after");
                assertThat(nextBody(back)).as("nothing twice").isEqualTo("after");
            }
        }
    }

    @Test
    void anInactiveOccupantGetsTheMessageAtOnceAfterThePresencesHeldForIt() throws Exception {
        String room = room("fan-csi");
        XMPPTCPConnection alice = server.login("fcsi-alice");
        XMPPTCPConnection bob = server.login("fcsi-bob");
        try (RawStreamClient idle = tcp("fcsi-idle")) {
            MultiUserChat a = Mucs.instant(alice, "fan-csi", "alice");
            MultiUserChat b = Mucs.muc(bob, "fan-csi");
            b.join(Mucs.nick("bob"));
            join(idle, room, "idle");
            idle.send("<inactive xmlns='urn:xmpp:csi:0'/><iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");
            idle.expect(e -> "p1".equals(e.attr("id")), "ping answered");

            bob.sendStanza(bob.getStanzaFactory().buildPresenceStanza().to(Mucs.occupant("fan-csi", "bob"))
                    .setStatus("away for lunch").setMode(Presence.Mode.away).build());
            Mucs.settle(bob);
            assertThat(idle.quietFor(Duration.ofMillis(300))).as("XEP-0352: a room presence is held").isTrue();

            a.sendMessage("lunch?");
            Element held = idle.element();
            assertThat(held.name()).as("the held presence first: %s", held.toXml()).isEqualTo("presence");
            assertThat(held.attr("from")).isEqualTo(room + "/bob");
            assertThat(held.childText("status", Namespaces.CLIENT)).isEqualTo("away for lunch");
            Element m = groupchat(idle, "lunch?");
            assertThat(m.attr("to")).isEqualTo(idle.jid());
        } finally {
            ImClients.closeAll(alice, bob);
        }
    }
}
