package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.Namespaces;

/**
 * RFC 6120 §4.9.1.1 and §4.9.3: a stream header the server cannot accept is answered with the
 * server's own header, then the stream error, then the closing tag; the connection is closed.
 */
class StreamHeaderErrorsTest {
    private static final String STREAMS = "xmlns:stream='" + Namespaces.STREAMS + "'";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers("bystander");
    XMPPTCPConnection bystander;

    @BeforeEach
    void connectBystander() throws Exception {
        bystander = server.clients().login("bystander", "bystander-pw");
    }

    @AfterEach
    void bystanderStillServed() throws Exception {
        try {
            assertThat(PingManager.getInstanceFor(bystander).pingMyServer(false)).isTrue();
        } finally {
            bystander.disconnect();
        }
    }

    @Test
    void wrongDomainIsHostUnknown() throws Exception {
        assertStreamError("<?xml version='1.0'?><stream:stream xmlns='jabber:client' " + STREAMS
                + " to='elsewhere.example' version='1.0'>", "host-unknown");
    }

    @Test
    void missingToIsHostUnknown() throws Exception {
        assertStreamError("<stream:stream xmlns='jabber:client' " + STREAMS + " version='1.0'>", "host-unknown");
    }

    @Test
    void missingVersionIsUnsupportedVersion() throws Exception {
        assertStreamError("<stream:stream xmlns='jabber:client' " + STREAMS + " to='localhost'>",
                "unsupported-version");
    }

    @Test
    void versionTwoIsUnsupportedVersion() throws Exception {
        assertStreamError("<stream:stream xmlns='jabber:client' " + STREAMS + " to='localhost' version='2.0'>",
                "unsupported-version");
    }

    @Test
    void wrongStreamNamespaceIsInvalidNamespace() throws Exception {
        assertStreamError("<stream:stream xmlns='jabber:client' xmlns:stream='urn:example:not-streams'"
                + " to='localhost' version='1.0'>", "invalid-namespace");
    }

    @Test
    void serverNamespaceOnClientPortIsInvalidNamespace() throws Exception {
        assertStreamError("<stream:stream xmlns='jabber:server' " + STREAMS + " to='localhost' version='1.0'>",
                "invalid-namespace");
    }

    private static void assertStreamError(String header, String condition) throws Exception {
        try (RawStreamClient raw = RawStreamClient.directTls(server.get())) {
            raw.send(header);
            StreamHeader reply = raw.header();
            assertThat(reply.streamNamespace()).isEqualTo(Namespaces.STREAMS);
            assertThat(reply.namespace()).isEqualTo(Namespaces.CLIENT);
            assertThat(reply.from()).isEqualTo(TestServer.DOMAIN);
            assertThat(reply.version()).isEqualTo("1.0");
            assertThat(reply.id()).isNotBlank();
            Element error = raw.element();
            assertThat(error.is("error", Namespaces.STREAMS)).as(error.toXml()).isTrue();
            assertThat(error.elements()).first().satisfies(c -> {
                assertThat(c.name()).isEqualTo(condition);
                assertThat(c.namespace()).isEqualTo(Namespaces.STREAM_ERRORS);
            });
            raw.expectClosed();
        }
    }
}
