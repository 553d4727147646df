package org.parley.testing;

import java.net.InetAddress;
import java.util.function.IntSupplier;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack clients for a {@link TestServer}: real STARTTLS against the server's own certificate. */
public final class Clients {
    private final String domain;
    private final IntSupplier port;
    private final X509TrustManager trust;

    public Clients(TestServer server) {
        this(server.domain(), server::c2sPort, server.trustManager());
    }

    /** Clients of any server on loopback, e.g. one node of a cluster test. */
    public Clients(String domain, IntSupplier port, X509TrustManager trust) {
        this.domain = domain;
        this.port = port;
        this.trust = trust;
    }

    /** A configuration builder for STARTTLS on the server's c2s port, not yet logged in. */
    public XMPPTCPConnectionConfiguration.Builder builder() {
        try {
            return XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(domain)
                    .setHostAddress(InetAddress.getLoopbackAddress())
                    .setPort(port.getAsInt())
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(trust)
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
