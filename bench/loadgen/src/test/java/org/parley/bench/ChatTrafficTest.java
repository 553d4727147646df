package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatTrafficTest {

    @Test
    void anErrorReplyEchoingOurBodyIsNotCountedDelivered() {
        ChatTraffic traffic = new ChatTraffic(new RunClock(), new Target("127.0.0.1", 5522, "localhost", false, "auto", "pw", null, null), 2, 32);
        String sent = traffic.stanza(2, 1);
        String body = sent.substring(sent.indexOf("<body>"));
        traffic.message(null, "<message from='u00002@localhost' to='u00001@localhost/r' type='chat'>" + body);
        traffic.message(null, "<message from='u00002@localhost' to='u00001@localhost/r' type=\"error\">" + body
                .replace("</message>", "<error type='cancel'><internal-server-error"
                        + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"));
        assertThat(traffic.delivered(1)).isEqualTo(1);
        assertThat(traffic.received()).isEqualTo(1);
        assertThat(traffic.bounced()).isEqualTo(1);
    }
}
