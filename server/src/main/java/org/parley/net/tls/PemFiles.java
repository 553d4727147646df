package org.parley.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads and writes the PEM files operators get from their CA or certbot. Keys may be PKCS#8
 * ({@code PRIVATE KEY}) or the traditional PKCS#1 RSA / SEC1 EC forms; encrypted keys are not
 * supported because the server starts unattended.
 */
final class PemFiles {

    private PemFiles() {
    }

    static List<X509Certificate> readChain(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (chain.isEmpty()) {
                throw new TlsSetupException(file + ": no certificate found");
            }
            return chain;
        } catch (CertificateException | IOException e) {
            throw new TlsSetupException(file + ": not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    static PrivateKey readKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object pem = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (pem) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                // SEC1 EC keys may omit the public key, so convert only the private half.
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case null -> throw new TlsSetupException(file + ": no private key found");
                default -> throw new TlsSetupException(file + ": unsupported key format "
                        + pem.getClass().getSimpleName() + " (use an unencrypted PKCS#8, RSA or EC key)");
            };
        } catch (IOException e) {
            throw new TlsSetupException(file + ": not a PEM private key: " + e.getMessage(), e);
        }
    }

    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot encode certificate", e);
        }
    }

    static String encode(PrivateKey key) {
        // getEncoded() of a JCA private key is PKCS#8, which every TLS stack reads.
        return encode("PRIVATE KEY", key.getEncoded());
    }
}
