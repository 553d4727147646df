package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.TestServer;
import org.slf4j.LoggerFactory;

/**
 * What the console says at start-up, for the person who just ran {@code ./parley start}: the
 * certificate's fingerprints as clients show them (SHA-256 in Gajim and browsers, SHA-1 in
 * Profanity's prompt), and the account command exactly as README writes it.
 */
class StartupBannerTest {

    private static String fingerprint(Certificate certificate, String algorithm) throws Exception {
        byte[] digest = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    @Test
    void bannerShowsBothFingerprintsOfTheCertificateClientsSeeAndTheReadmesAccountCommand(@TempDir Path dir)
            throws Exception {
        ListAppender<ILoggingEvent> banner = new ListAppender<>();
        banner.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Server.class);
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.setAdditive(false); // into the list only, not onto the console
        logger.addAppender(banner);
        List<String> lines;
        Certificate seen;
        try (TestServer server = TestServer.start(dir, Map.of())) {
            lines = banner.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            try (SSLSocket tls = (SSLSocket) server.sslContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.directTlsPort())) {
                tls.startHandshake();
                seen = tls.getSession().getPeerCertificates()[0];
            }
        } finally {
            logger.detachAppender(banner);
            logger.setAdditive(true);
            logger.setLevel(level);
        }

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("TLS certificate ")
                .contains("SHA-256 " + fingerprint(seen, "SHA-256"))
                .contains("SHA-1 " + fingerprint(seen, "SHA-1")));
        assertThat(lines).contains("create an account with: ./parley user add alice");
        assertThat(Path.of("../README.md")).content().contains("./parley user add alice ");
    }
}
