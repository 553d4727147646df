package org.parley.interop;

import java.util.function.Consumer;

import javax.net.ssl.X509TrustManager;

import eu.geekplace.javapinning.JavaPinning;

import org.igniterealtime.smack.inttest.SmackIntegrationTestFramework;
import org.igniterealtime.smack.inttest.XmppConnectionDescriptor;
import org.igniterealtime.smack.inttest.XmppConnectionManager;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnection;
import org.jivesoftware.smack.c2s.ModularXmppClientToServerConnectionConfiguration;
import org.jivesoftware.smack.compression.CompressionModuleDescriptor;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.iqregister.AccountManager;

/**
 * Starts {@link SmackIntegrationTestFramework} after re-registering its TCP connection descriptors
 * ({@code tcp}, {@code modular}, {@code modular-nocompress}) so they connect to the port in the
 * system property {@value #PORT_PROPERTY}: 4.5.0-beta5 only knows {@code sinttest.host} and would
 * otherwise always dial 5222. They also trust the certificate whose public key matches
 * {@value #TLS_PIN_PROPERTY} ({@code SHA256:<hex>}, java-pinning syntax): the framework's own
 * {@code sinttest.serviceTlsPin} has no effect in 4.5.0-beta5, because Smack re-initialises the
 * pinned SSLContext with the JDK's default trust managers. The framework's exit status is kept:
 * 0 all passed, 2 some failed, anything else a harness or connection error.
 */
public final class SinttestLauncher {

    static final String PORT_PROPERTY = "parley.interop.port";
    static final String TLS_PIN_PROPERTY = "parley.interop.tlsPin";

    private SinttestLauncher() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getProperty(PORT_PROPERTY, "5222"));
        String pin = System.getProperty(TLS_PIN_PROPERTY, "");
        registerTcpDescriptors(port, pin.isBlank() ? null : JavaPinning.trustManagerForPin(pin));
        // The framework's built-in default descriptor is a private constant that ignores the
        // re-registration above; naming it by nickname makes it look up the replacement.
        if (System.getProperty("sinttest.defaultConnection") == null) {
            System.setProperty("sinttest.defaultConnection", "tcp");
        }
        if ("disabled".equals(System.getProperty("sinttest.securityMode"))) {
            // Smack refuses in-band registration over plaintext unless told that this is intended;
            // plaintext runs are on loopback against a test server.
            AccountManager.sensitiveOperationOverInsecureConnectionDefault(true);
        }
        SmackIntegrationTestFramework.main(args);
    }

    private static void registerTcpDescriptors(int port, X509TrustManager pinnedOrNull)
            throws ReflectiveOperationException {
        Consumer<ConnectionConfiguration.Builder<?, ?>> atPort = b -> {
            b.setPort(port);
            if (pinnedOrNull != null) {
                b.setCustomX509TrustManager(pinnedOrNull);
            }
        };

        XmppConnectionManager.addConnectionDescriptor(
                XmppConnectionDescriptor.buildWith(XMPPTCPConnection.class, XMPPTCPConnectionConfiguration.class,
                                XMPPTCPConnectionConfiguration.Builder.class)
                        .withNickname("tcp")
                        .applyExtraConfiguration(atPort::accept)
                        .build());
        XmppConnectionManager.addConnectionDescriptor(
                XmppConnectionDescriptor.buildWith(ModularXmppClientToServerConnection.class,
                                ModularXmppClientToServerConnectionConfiguration.class,
                                ModularXmppClientToServerConnectionConfiguration.Builder.class)
                        .withNickname("modular")
                        .applyExtraConfiguration(atPort::accept)
                        .build());
        XmppConnectionManager.addConnectionDescriptor(
                XmppConnectionDescriptor.buildWith(ModularXmppClientToServerConnection.class,
                                ModularXmppClientToServerConnectionConfiguration.class,
                                ModularXmppClientToServerConnectionConfiguration.Builder.class)
                        .withNickname("modular-nocompress")
                        .applyExtraConfiguration(b -> {
                            b.removeModule(CompressionModuleDescriptor.class);
                            atPort.accept(b);
                        })
                        .build());
    }
}
