package org.parley.net.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate of a first start: so that one command gives a TLS-only server, Parley makes
 * its own EC P-256 certificate for the domain (RFC 6125 identifiers in the subjectAltName) and
 * keeps it, so clients that pinned it on first use keep trusting it across restarts.
 */
final class SelfSignedCertificates {

    private static final Duration VALIDITY = Duration.ofDays(3652);
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final SecureRandom random;

    SelfSignedCertificates(SecureRandom random) {
        this.random = random;
    }

    /** Returns the pair in {@code dir} for {@code domain}, generating it only if it is not there yet. */
    CertificateFiles ensure(String domain, Path dir) {
        Path certificate = dir.resolve(domain + ".crt");
        Path key = dir.resolve(domain + ".key");
        if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
            return new CertificateFiles(certificate, key, true);
        }
        try {
            Files.createDirectories(dir);
            KeyPair pair = generateKeyPair();
            X509Certificate cert = certify(domain, pair);
            // Key first: a crash in between leaves no certificate, so the next start regenerates both.
            writeAtomically(key, PemFiles.encode(pair.getPrivate()), true);
            writeAtomically(certificate, PemFiles.encode(cert), false);
            return new CertificateFiles(certificate, key, true);
        } catch (IOException e) {
            throw new TlsSetupException("cannot write self-signed certificate to " + dir + ": " + e.getMessage(), e);
        }
    }

    private KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("EC P-256 is not available in this JDK", e);
        }
    }

    private X509Certificate certify(String domain, KeyPair pair) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, domain).build();
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), // tolerate clients whose clocks run late
                    Date.from(now.plus(VALIDITY)),
                    name,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, domain),
                new GeneralName(GeneralName.dNSName, "*." + domain)
            }));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new TlsSetupException("cannot create self-signed certificate for " + domain, e);
        }
    }

    private static void writeAtomically(Path target, String pem, boolean secret) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = secret && posix
                ? Files.createTempFile(target.getParent(), ".tmp-", ".pem", OWNER_ONLY)
                : Files.createTempFile(target.getParent(), ".tmp-", ".pem");
        try {
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
