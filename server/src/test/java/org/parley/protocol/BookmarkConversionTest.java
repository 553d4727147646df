package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.bookmarks.BookmarkManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/**
 * XEP-0411 / XEP-0402 §5.3: legacy bookmarks in private storage (XEP-0048 over XEP-0049) and PEP
 * native bookmarks are one list, whichever kind of client writes it.
 */
class BookmarkConversionTest {
    private static final String NATIVE = "urn:xmpp:bookmarks:1";
    private static final String LEGACY = "storage:bookmarks";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    /** The legacy bookmarks as a legacy client reads them from private storage. */
    private static Element legacy(XMPPConnection c) throws Exception {
        return PepClients.send(c, PrivateStorageTest.query(IQ.Type.get, null, "<storage xmlns='storage:bookmarks'/>"))
                .element("query", "jabber:iq:private").element("storage", LEGACY);
    }

    private static Element nativeItems(XMPPConnection c) throws Exception {
        return PepClients.items(c, null, NATIVE, ">");
    }

    private static List<String> legacyRooms(XMPPConnection c) throws Exception {
        return legacy(c).elements("conference", LEGACY).stream().map(e -> e.attr("jid")).toList();
    }

    @Test
    void theAccountAdvertisesTheConversion() throws Exception {
        XMPPTCPConnection c = server.login("bm-disco");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(c.getUser().asBareJid());

            assertThat(info.getFeatures().stream().map(DiscoverInfo.Feature::getVar))
                    .contains("urn:xmpp:bookmarks-conversion:0", "urn:xmpp:bookmarks:1#compat");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aLegacyBookmarkBecomesANativeItemAndTheLegacyPepNode() throws Exception {
        XMPPTCPConnection c = server.login("bm-legacy");
        try {
            BookmarkManager.getBookmarkManager(c).addBookmarkedConference("Coven",
                    JidCreate.entityBareFrom("coven@chat.shakespeare.lit"), true, Resourcepart.from("Hag"), "secret");

            Element items = nativeItems(c);
            assertThat(PepClients.ids(items)).containsExactly("coven@chat.shakespeare.lit");
            Element conference = items.elements().get(0).element("conference", NATIVE);
            assertThat(conference.attr("name")).isEqualTo("Coven");
            assertThat(conference.attr("autojoin")).isEqualTo("true");
            assertThat(conference.childText("nick", NATIVE)).isEqualTo("Hag");
            assertThat(conference.childText("password", NATIVE)).isEqualTo("secret");
            // XEP-0402 §4: the node is private to the owner.
            Element config = PepClients.send(c, PepClients.pubsub(IQ.Type.get, PepClients.OWNER, null,
                    "<configure node='" + NATIVE + "'/>"));
            assertThat(config.toXml()).contains("whitelist");

            Element legacyPep = PepClients.items(c, null, LEGACY, ">");
            assertThat(PepClients.ids(legacyPep)).containsExactly("current");
            assertThat(legacyPep.elements().get(0).element("storage", LEGACY).elements("conference", LEGACY))
                    .extracting(e -> e.attr("jid")).containsExactly("coven@chat.shakespeare.lit");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aNativeBookmarkIsWhatALegacyClientReads() throws Exception {
        XMPPTCPConnection modern = server.login("bm-native");
        try {
            PepClients.publish(modern, NATIVE, "theplay@conference.shakespeare.lit",
                    "<conference xmlns='" + NATIVE + "' name='The Play' autojoin='true'><nick>JC</nick></conference>",
                    "pubsub#persist_items=true;pubsub#access_model=whitelist;pubsub#max_items=max");

            Element legacy = legacy(modern);

            assertThat(legacy.elements("conference", LEGACY)).hasSize(1);
            Element conference = legacy.elements("conference", LEGACY).get(0);
            assertThat(conference.attr("jid")).isEqualTo("theplay@conference.shakespeare.lit");
            assertThat(conference.attr("name")).isEqualTo("The Play");
            assertThat(conference.attr("autojoin")).isEqualTo("true");
            assertThat(conference.childText("nick", LEGACY)).isEqualTo("JC");
        } finally {
            modern.disconnect();
        }
    }

    @Test
    void aLegacyRemovalRetractsTheItemAndUrlsStayInPrivateStorage() throws Exception {
        XMPPTCPConnection c = server.login("bm-remove");
        try {
            BookmarkManager legacy = BookmarkManager.getBookmarkManager(c);
            legacy.addBookmarkedConference("One", JidCreate.entityBareFrom("one@chat.example"), false, null, null);
            legacy.addBookmarkedConference("Two", JidCreate.entityBareFrom("two@chat.example"), false, null, null);
            legacy.addBookmarkedURL(new URL("https://example.org/").toString(), "Example", false);
            assertThat(PepClients.ids(nativeItems(c))).containsExactlyInAnyOrder("one@chat.example", "two@chat.example");

            legacy.removeBookmarkedConference(JidCreate.entityBareFrom("one@chat.example"));

            assertThat(PepClients.ids(nativeItems(c))).containsExactly("two@chat.example");
            Element read = legacy(c);
            assertThat(read.elements("conference", LEGACY)).extracting(e -> e.attr("jid")).containsExactly("two@chat.example");
            assertThat(read.elements("url", LEGACY)).extracting(e -> e.attr("url")).containsExactly("https://example.org/");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void extensionsAModernClientStoredSurviveALegacySave() throws Exception {
        XMPPTCPConnection c = server.login("bm-ext");
        try {
            PepClients.publish(c, NATIVE, "room@chat.example",
                    "<conference xmlns='" + NATIVE + "' name='Room'><extensions><state xmlns='urn:example:state'/>"
                            + "</extensions></conference>",
                    "pubsub#persist_items=true;pubsub#access_model=whitelist;pubsub#max_items=max");
            assertThat(legacyRooms(c)).containsExactly("room@chat.example");

            // A legacy client renames the room: it saves the whole list, without the extensions it never saw.
            PepClients.send(c, PrivateStorageTest.query(IQ.Type.set, null, "<storage xmlns='storage:bookmarks'>"
                    + "<conference jid='room@chat.example' name='Renamed' autojoin='false'/></storage>"));

            Element conference = nativeItems(c).elements().get(0).element("conference", NATIVE);
            assertThat(conference.attr("name")).isEqualTo("Renamed");
            assertThat(conference.element("extensions", NATIVE).element("state", "urn:example:state")).isNotNull();
        } finally {
            c.disconnect();
        }
    }
}
