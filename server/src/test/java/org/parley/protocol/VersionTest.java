package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0092 Software Version of the server. */
class VersionTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("version");

    @Test
    void serverTellsItsNameAndVersion() throws Exception {
        XMPPTCPConnection c = server.clients().login("version", "version-pw");
        try {
            Version v = VersionManager.getInstanceFor(c).getVersion(JidCreate.domainBareFrom("localhost"));

            assertThat(v.getFrom().toString()).isEqualTo("localhost");
            assertThat(v.getName()).isEqualTo("Parley");
            assertThat(v.getVersion()).isNotBlank();
        } finally {
            c.disconnect();
        }
    }
}
