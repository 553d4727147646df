package org.parley.net.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLException;
import org.parley.config.Config;

/**
 * The server's TLS contexts (RFC 7590: TLS 1.2 or later, forward-secret AEAD suites), for STARTTLS
 * on 5222 and direct TLS on 5223 alike. Uses the JDK provider so the server has no native
 * dependency.
 */
public final class TlsContexts {

    /** Protocols offered; TLS 1.1 and older are off as RFC 8996 requires. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Forward-secret AEAD suites only; those this JDK lacks are filtered out. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsContexts() {
    }

    /** The server context for {@code config}: its PEM pair, or a self-signed one kept under dataDir. */
    public static SslContext server(Config config) {
        return server(certificateFiles(config));
    }

    public static SslContext server(CertificateFiles files) {
        return server(files, List.of());
    }

    /**
     * The server context offering {@code alpn} protocols (RFC 7301), e.g. {@code http/1.1} for the
     * HTTPS port; a client that offers other protocols, or no ALPN at all, is served without one.
     */
    public static SslContext server(CertificateFiles files, List<String> alpn) {
        List<X509Certificate> chain = PemFiles.readChain(files.certificate());
        PrivateKey key = PemFiles.readKey(files.key());
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .clientAuth(ClientAuth.NONE);
            if (!alpn.isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException(files.certificate() + " / " + files.key()
                    + ": cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /** The configured pair, or the self-signed pair under {@code <dataDir>/certs}, created if missing. */
    public static CertificateFiles certificateFiles(Config config) {
        if (config.tls().certificate() != null) {
            return new CertificateFiles(config.tls().certificate(), config.tls().key(), false);
        }
        return generateSelfSigned(config.domain(), config.server().dataDir().resolve("certs"));
    }

    /**
     * Writes {@code <domain>.crt} and {@code <domain>.key} (mode 600) to {@code dir}, or returns the
     * existing pair unchanged so the fingerprint stays stable across restarts.
     */
    public static CertificateFiles generateSelfSigned(String domain, Path dir) {
        return new SelfSignedCertificates(new SecureRandom()).ensure(domain, dir);
    }

    /** SHA-256 of the leaf certificate, as colon-separated upper-case hex (what browsers and Gajim show). */
    public static String sha256Fingerprint(Path certificateFile) {
        return sha256Fingerprint(PemFiles.readChain(certificateFile).get(0));
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        return fingerprint(certificate, "SHA-256");
    }

    /** SHA-1 of the leaf certificate, in the same form: what Profanity's certificate prompt shows. */
    public static String sha1Fingerprint(Path certificateFile) {
        return sha1Fingerprint(PemFiles.readChain(certificateFile).get(0));
    }

    public static String sha1Fingerprint(X509Certificate certificate) {
        return fingerprint(certificate, "SHA-1");
    }

    private static String fingerprint(X509Certificate certificate, String algorithm) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot fingerprint certificate", e);
        }
    }
}
