package org.parley.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fan-out stanza serialised once: every copy's bytes are exactly what serialising the copy gives. */
class SharedEncodingTest {

    private static final Element MESSAGE = Element.builder("message", "jabber:client")
            .attr("from", "room@conference.example/Ann & \"Bo\"").attr("type", "groupchat").attr("id", "m1")
            .child(Element.builder("body", "jabber:client").text("caf\u00e9 & <tea> \ud83c\udf75").build())
            .child(Element.builder("stanza-id", "urn:xmpp:sid:0").attr("by", "room@conference.example").attr("id", "x")
                    .build())
            .build();

    private static List<String> written(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        for (ByteBuf b = channel.readOutbound(); b != null; b = channel.readOutbound()) {
            out.add(b.toString(UTF_8));
            b.release();
        }
        return out;
    }

    @Test
    void eachCopyIsWrittenAsItsOwnSerialisationFromBytesMadeOnce() {
        SharedEncoding shared = new SharedEncoding(MESSAGE.withAttr("to", "dropped@example"));
        List<Element> copies = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Element copy = shared.to("user" + i + "@example/r\u00e9s<" + i + ">");
            copies.add(copy);
            expected.add(copy.toXml("jabber:client"));
        }
        EmbeddedChannel tcp = new EmbeddedChannel(new XmlEncoder());
        copies.forEach(tcp::writeOutbound);

        assertThat(written(tcp)).isEqualTo(expected);
        assertThat(shared.renders()).as("serialised once for 200 recipients").isEqualTo(1);
        assertThat(copies.get(7)).isEqualTo(MESSAGE.withAttr("to", "user7@example/r\u00e9s<7>"));

        EmbeddedChannel other = new EmbeddedChannel(new XmlEncoder("jabber:component:accept"));
        other.writeOutbound(copies.get(0));
        assertThat(written(other)).as("another stream namespace gets its own form, with xmlns")
                .containsExactly(copies.get(0).toXml("jabber:component:accept"));
        assertThat(shared.renders()).isEqualTo(2);
    }

    @Test
    void asTextEachCopyIsItsOwnSerialisationToo() {
        SharedEncoding shared = new SharedEncoding(MESSAGE);
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            Element copy = shared.to("user" + i + "@example/r\u00e9s<" + i + ">");
            shared.appendTo(copy, "", body);
            expected.append(copy.toXml(""));
        }
        assertThat(body.toString()).isEqualTo(expected.toString());
        assertThat(shared.renders()).isEqualTo(1);
    }

    @Test
    void aChangedCopyIsNoLongerSharedAndIsSerialisedAsItIs() {
        SharedEncoding shared = new SharedEncoding(MESSAGE);
        Element changed = shared.to("a@example/r").withChild(Element.empty("hint", "urn:example"));
        assertThat(changed.sharedEncoding()).isNull();
        assertThat(shared.to("a@example/r").withAttr("to", "b@example").sharedEncoding()).isNull();

        EmbeddedChannel tcp = new EmbeddedChannel(new XmlEncoder());
        tcp.writeOutbound(changed);
        assertThat(written(tcp)).containsExactly(changed.toXml("jabber:client"));
        assertThat(shared.renders()).isZero();
    }
}
