package org.parley.testing;

import java.net.InetAddress;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack clients for a {@link TestServer}: real STARTTLS against the server's own certificate. */
public final class Clients {
    private final TestServer server;

    public Clients(TestServer server) {
        this.server = server;
    }

    /** A configuration builder for STARTTLS on the server's c2s port, not yet logged in. */
    public XMPPTCPConnectionConfiguration.Builder builder() {
        try {
            return XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(TestServer.DOMAIN)
                    .setHostAddress(InetAddress.getLoopbackAddress())
                    .setPort(server.c2sPort())
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(server.trustManager())
                    .setConnectTimeout(5000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects and logs in with the given resource. */
    public XMPPTCPConnection login(String user, String password, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(builder()
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }

    public XMPPTCPConnection login(String user, String password) throws Exception {
        return login(user, password, "test");
    }
}
