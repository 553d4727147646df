package org.parley.protocol;

import org.parley.feature.caps.SqlCapsStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.closeAll;

import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.feature.caps.VerificationString;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/**
 * XEP-0115: the server asks a client for the disco#info behind an unknown ver, accepts it only
 * when the hash matches, and asks once per ver.
 */
class CapsTest {
    private static final String NODE = "urn:parley:test:caps";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    private static final ImClients im = new ImClients(server);

    private static String info(String node) {
        return "<query xmlns='" + DISCO_INFO + "' node='" + node + "'><identity category='client' type='pc' name='raw'/>"
                + "<feature var='" + DISCO_INFO + "'/><feature var='" + NODE + "+notify'/></query>";
    }

    private static final String RIGHT_VER = VerificationString.ver(XmlStrings.parse(info("x")), "sha-1");

    private static String presence(String ver) {
        return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:raw' ver='" + ver + "'/></presence>";
    }

    /** Answers the server's disco#info query for node#ver with our features; returns the query. */
    private static Element answerQuery(RawStreamClient c) throws Exception {
        Element iq = c.expect(e -> e.name().equals("iq") && e.element("query", DISCO_INFO) != null, "a disco#info query");
        String node = iq.element("query", DISCO_INFO).attr("node");
        c.send("<iq type='result' id='" + iq.attr("id") + "' to='" + iq.attr("from") + "'>" + info(node) + "</iq>");
        return iq;
    }

    /** Pings the server and returns everything that arrived before the answer. */
    private static List<Element> untilPong(RawStreamClient c) throws Exception {
        c.send("<iq type='get' id='barrier' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        List<Element> before = new ArrayList<>();
        c.expect(e -> {
            if ("barrier".equals(e.attr("id"))) {
                return true;
            }
            before.add(e);
            return false;
        }, "the ping answer");
        return before;
    }

    @Test
    void aWrongHashIsNotTrustedAndARightOneIsQueriedOnce() throws Exception {
        im.contacts("c1-alice", "c1-eve");
        XMPPTCPConnection alice = im.online("c1-alice", "a");
        try (RawStreamClient eve = RawStreamClient.loggedIn(server.get(), "c1-eve", "c1-eve-pw", "one")) {
            PepClients.publish(alice, NODE, "first", "<s xmlns='" + NODE + "'>1</s>", null);

            eve.send(presence("bogusbogusbogusbogusbogusbo="));
            Element query = answerQuery(eve);
            assertThat(query.element("query", DISCO_INFO).attr("node")).isEqualTo("urn:raw#bogusbogusbogusbogusbogusbo=");
            untilPong(eve);
            Thread.sleep(100);
            assertThat(new SqlCapsStore(server.database()).features("sha-1", "bogusbogusbogusbogusbogusbo=")).isEmpty();
            PepClients.publish(alice, NODE, "second", "<s xmlns='" + NODE + "'>2</s>", null);
            assertThat(untilPong(eve)).noneMatch(e -> e.name().equals("message"));

            eve.send(presence(RIGHT_VER));
            answerQuery(eve);
            // Verified: the new resource gets the newest item (XEP-0163 §4.3.2), and later ones.
            Element last = eve.expect(e -> e.name().equals("message"), "the last published item");
            assertThat(last.toXml()).contains("second");
            assertThat(new SqlCapsStore(server.database()).features("sha-1", RIGHT_VER)).contains(
                    List.of(DISCO_INFO, NODE + "+notify"));

            try (RawStreamClient eve2 = RawStreamClient.loggedIn(server.get(), "c1-eve", "c1-eve-pw", "two")) {
                eve2.send(presence(RIGHT_VER));
                List<Element> seen = untilPong(eve2);
                assertThat(seen).noneMatch(e -> e.name().equals("iq"));
                assertThat(seen).anyMatch(e -> e.name().equals("message") && e.toXml().contains("second"));
            }
        } finally {
            closeAll(alice);
        }
    }
}
