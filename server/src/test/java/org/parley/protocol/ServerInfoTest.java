package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;

/**
 * What the server says about itself: its entity capabilities in the stream features after
 * authentication (XEP-0115 §6.3), which must hash exactly what its disco#info answers, and the
 * contact addresses an operator configures (XEP-0157).
 */
class ServerInfoTest {
    private static final String CAPS = "http://jabber.org/protocol/caps";
    private static final String SERVERINFO = "http://jabber.org/network/serverinfo";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    /** The {@code <c/>} of the stream features after authentication; none before. */
    private static Element capsFeature(TestServer s, String user, String password) throws Exception {
        try (RawStreamClient c = RawStreamClient.directTls(s)) {
            Element before = c.openAndReadFeatures(TestServer.DOMAIN);
            assertThat(before.element("c", CAPS)).as("no caps before authentication").isNull();
            assertThat(c.authPlain(user, password).name()).isEqualTo("success");
            Element after = c.restart(TestServer.DOMAIN);
            Element caps = after.element("c", CAPS);
            assertThat(caps).as("caps in " + after.toXml()).isNotNull();
            return caps;
        }
    }

    /** Checks the caps against the server's disco#info as Smack hashes it, and the node#ver query. */
    private static DiscoverInfo verified(XMPPTCPConnection c, Element caps) throws Exception {
        assertThat(caps.attr("hash")).isEqualTo("sha-1");
        assertThat(caps.attr("node")).isNotBlank();
        ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(c);
        DiscoverInfo info = disco.discoverInfo(JidCreate.from("localhost"));
        assertThat(EntityCapsManager.verifyDiscoverInfoVersion(caps.attr("ver"), "sha-1", info))
                .as("ver %s is the hash of the server's disco#info %s", caps.attr("ver"), info.toXML()).isTrue();
        // §6.2: the server answers disco#info to its node#ver with the same result
        String nodeVer = caps.attr("node") + "#" + caps.attr("ver");
        DiscoverInfo byNode = disco.discoverInfo(JidCreate.from("localhost"), nodeVer);
        assertThat(byNode.getNode()).isEqualTo(nodeVer);
        assertThat(byNode.getFeatures()).isEqualTo(info.getFeatures());
        assertThat(byNode.getIdentities()).isEqualTo(info.getIdentities());
        return info;
    }

    @Test
    void streamFeaturesAfterAuthenticationCarryTheServersCapsMatchingItsDiscoInfo() throws Exception {
        server.account("si-caps");
        Element caps = capsFeature(server.get(), "si-caps", ServerExtension.password("si-caps"));
        XMPPTCPConnection c = server.login("si-caps");
        try {
            DiscoverInfo info = verified(c, caps);

            assertThat(info.getExtensions(DataForm.class)).as("no contact addresses configured").isEmpty();
            // every client sees the same caps
            Element again = capsFeature(server.get(), "si-caps", ServerExtension.password("si-caps"));
            assertThat(again.toXml()).isEqualTo(caps.toXml());
        } finally {
            c.disconnect();
        }
    }

    @Test
    void configuredContactAddressesAreAServerInfoFormThatTheCapsHashCovers(@TempDir Path dir) throws Exception {
        try (TestServer s = TestServer.start(dir, Map.of(
                "PARLEY_CONTACT_ABUSE", "mailto:abuse@localhost xmpp:abuse@localhost",
                "PARLEY_CONTACT_SUPPORT", "https://localhost/support",
                "PARLEY_CONTACT_SECURITY", "mailto:security@localhost"))) {
            s.createUser("si-contact", "pw");
            Element caps = capsFeature(s, "si-contact", "pw");
            XMPPTCPConnection c = new Clients(s).login("si-contact", "pw");
            try {
                DiscoverInfo info = verified(c, caps);

                DataForm form = DataForm.from(info, SERVERINFO);
                assertThat(form).as("the serverinfo form in " + info.toXML()).isNotNull();
                assertThat(form.getType()).isEqualTo(DataForm.Type.result);
                assertThat(form.getHiddenFormTypeField()).isNotNull();
                assertThat(values(form, "abuse-addresses")).containsExactly("mailto:abuse@localhost", "xmpp:abuse@localhost");
                assertThat(values(form, "support-addresses")).containsExactly("https://localhost/support");
                assertThat(values(form, "security-addresses")).containsExactly("mailto:security@localhost");
                assertThat(form.getField("admin-addresses")).as("kinds not configured are left out").isNull();
            } finally {
                c.disconnect();
            }
        }
    }

    private static List<String> values(DataForm form, String var) {
        FormField f = form.getField(var);
        assertThat(f).as(var).isNotNull();
        assertThat(f.getType()).isEqualTo(FormField.Type.list_multi);
        return f.getValues().stream().map(CharSequence::toString).toList();
    }
}
