package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.TestServer;

/** XEP-0092 Software Version of the server. */
class VersionTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Clients clients;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        clients = new Clients(server);
        server.createUser("version", "version-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverTellsItsNameAndVersion() throws Exception {
        XMPPTCPConnection c = clients.login("version", "version-pw");
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
