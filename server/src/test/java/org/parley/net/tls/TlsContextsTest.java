package org.parley.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.config.Config;
import org.parley.config.ConfigLoader;

class TlsContextsTest {

    @TempDir
    Path dir;

    @Test
    void generatedCertificateNamesTheDomainAndIsKept() throws Exception {
        Config config = ConfigLoader.load(null, Map.of("PARLEY_DOMAIN", "chat.example", "PARLEY_DATA_DIR", dir.toString()),
                List.of());
        CertificateFiles files = TlsContexts.certificateFiles(config);

        assertThat(files.certificate()).isEqualTo(dir.resolve("certs/chat.example.crt"));
        assertThat(files.key()).isEqualTo(dir.resolve("certs/chat.example.key"));
        assertThat(files.selfSigned()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");

        X509Certificate cert = PemFiles.readChain(files.certificate()).get(0);
        assertThat(cert.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "chat.example"), List.of(2, "*.chat.example"));
        assertThat(cert.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(TlsContexts.server(config).isServer()).isTrue();

        String fingerprint = TlsContexts.sha256Fingerprint(files.certificate());
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        byte[] before = Files.readAllBytes(files.key());

        CertificateFiles again = TlsContexts.generateSelfSigned("chat.example", dir.resolve("certs"));
        assertThat(again).isEqualTo(files);
        assertThat(Files.readAllBytes(again.key())).isEqualTo(before);
        assertThat(TlsContexts.sha256Fingerprint(again.certificate())).isEqualTo(fingerprint);
        try (var listing = Files.list(dir.resolve("certs"))) {
            assertThat(listing).hasSize(2);
        }
    }

    @Test
    void loadsOperatorPemPairWithPkcs1RsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=xmpp.example");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.TEN, new Date(), Date.from(Instant.now().plus(Duration.ofDays(1))), name,
                pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path certFile = Files.writeString(dir.resolve("fullchain.pem"), pem(cert));
        // JcaPEMWriter writes a JCA private key in the traditional "RSA PRIVATE KEY" (PKCS#1) form.
        Path keyFile = Files.writeString(dir.resolve("privkey.pem"), pem(pair.getPrivate()));
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        Config config = ConfigLoader.load(null, Map.of(
                "PARLEY_TLS_CERTIFICATE", certFile.toString(), "PARLEY_TLS_KEY", keyFile.toString(),
                "PARLEY_DATA_DIR", dir.toString()), List.of());
        SslContext context = TlsContexts.server(config);

        assertThat(handshake(context, "TLSv1.3")).isEqualTo("TLSv1.3");
        assertThat(TlsContexts.certificateFiles(config).selfSigned()).isFalse();
        assertThat(dir.resolve("certs")).doesNotExist();
    }

    @Test
    void loadsEcKeyInSec1Form() throws Exception {
        CertificateFiles generated = TlsContexts.generateSelfSigned("localhost", dir);
        // The SEC1 form OpenSSL writes: curve named inside the key, public point included.
        ECPrivateKey key = (ECPrivateKey) PemFiles.readKey(generated.key());
        byte[] point = SubjectPublicKeyInfo.getInstance(
                PemFiles.readChain(generated.certificate()).get(0).getPublicKey().getEncoded()).getPublicKeyData().getBytes();
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), new DERBitString(point),
                SECObjectIdentifiers.secp256r1).getEncoded();
        Path sec1 = Files.writeString(dir.resolve("ec.pem"), PemFiles.encode("EC PRIVATE KEY", der));
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        SslContext context = TlsContexts.server(new CertificateFiles(generated.certificate(), sec1, false));
        assertThat(handshake(context, "TLSv1.2")).isEqualTo("TLSv1.2");
    }

    @Test
    void offersOnlyTls12And13() {
        SslContext context = TlsContexts.server(TlsContexts.generateSelfSigned("localhost", dir));
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledCipherSuites()).isNotEmpty()
                .allSatisfy(suite -> assertThat(suite).matches("TLS_(AES|CHACHA20|ECDHE_).*"));
    }

    @Test
    void tls11ClientIsRefused() throws Exception {
        SslContext context = TlsContexts.server(TlsContexts.generateSelfSigned("localhost", dir));
        assertThat(handshake(context, "TLSv1.1")).isNull();
    }

    @Test
    void brokenFilesAreNamedInTheError() throws IOException {
        CertificateFiles generated = TlsContexts.generateSelfSigned("localhost", dir);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
        assertThatThrownBy(() -> TlsContexts.server(new CertificateFiles(generated.certificate(), garbage, false)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("garbage.pem");
        assertThatThrownBy(() -> TlsContexts.server(new CertificateFiles(garbage, generated.key(), false)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("garbage.pem");
    }

    /** Runs a handshake between {@code server} and a trusting client; returns the protocol, or null on failure. */
    private static String handshake(SslContext server, String clientProtocol) throws Exception {
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(clientProtocol)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        SslHandler serverHandler = server.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientHandler = client.newHandler(ByteBufAllocator.DEFAULT, "localhost", 5223);
        EmbeddedChannel serverChannel = new EmbeddedChannel(serverHandler);
        EmbeddedChannel clientChannel = new EmbeddedChannel(clientHandler);
        try {
            for (int i = 0; i < 20 && !(serverHandler.handshakeFuture().isDone() && clientHandler.handshakeFuture().isDone()); i++) {
                shuttle(clientChannel, serverChannel);
                shuttle(serverChannel, clientChannel);
            }
            if (!clientHandler.handshakeFuture().isSuccess() || !serverHandler.handshakeFuture().isSuccess()) {
                return null;
            }
            return serverHandler.engine().getSession().getProtocol();
        } finally {
            clientChannel.finishAndReleaseAll();
            serverChannel.finishAndReleaseAll();
        }
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf out;
        while ((out = from.readOutbound()) != null) {
            try {
                to.writeInbound(out);
            } catch (RuntimeException handshakeFailure) {
                return;
            }
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
