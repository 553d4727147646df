package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.SharedEncoding;

/** RFC 7395 messages: a fan-out copy written from its shared bytes is the same message as one rendered. */
class WebSocketEncoderTest {

    private static String message(Object element) {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocketEncoder());
        channel.writeOutbound(element);
        TextWebSocketFrame frame = channel.readOutbound();
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    @Test
    void aSharedCopyIsTheMessageItsOwnRenderingGives() {
        Element template = Element.builder("presence", "jabber:client").attr("from", "room@conference.example/Ann")
                .child(Element.builder("x", "http://jabber.org/protocol/muc#user")
                        .child(Element.builder("item", "http://jabber.org/protocol/muc#user").attr("role", "participant")
                                .build()).build())
                .build();
        Element copy = new SharedEncoding(template).to("bob@example/phone");
        StringBuilder rendered = new StringBuilder();
        WebSocketEncoder.render(copy, rendered);

        assertThat(message(copy)).isEqualTo(rendered.toString())
                .startsWith("<presence xmlns=\"jabber:client\" from=\"room@conference.example/Ann\" to=\"bob@example/phone\">");
    }
}
