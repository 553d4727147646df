package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StanzaSplitterTest {

    private static List<String> feed(EmbeddedChannel ch, String... chunks) {
        for (String c : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(c, StandardCharsets.UTF_8));
        }
        List<String> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((String) o);
        }
        return out;
    }

    @Test
    void splitsHeaderFeaturesAndStanzasAcrossArbitraryChunks() {
        String wire = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' id='a>b' version='1.0'>"
                + "<stream:features><mechanisms xmlns='x'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"
                + " \n<presence from='a@b/c'/><message to='x' type='chat'><body>T12 S1 xx</body></message>"
                + "</stream:stream>";
        for (int cut = 1; cut < wire.length(); cut++) {
            List<String> out = feed(new EmbeddedChannel(new StanzaSplitter()), wire.substring(0, cut), wire.substring(cut));
            assertThat(out).as("cut at %d", cut).containsExactly(StanzaSplitter.STREAM_OPEN,
                    "<stream:features><mechanisms xmlns='x'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
                    "<presence from='a@b/c'/>",
                    "<message to='x' type='chat'><body>T12 S1 xx</body></message>",
                    StanzaSplitter.STREAM_CLOSE);
        }
    }

    @Test
    void resetExpectsANewStreamHeader() {
        StanzaSplitter splitter = new StanzaSplitter();
        EmbeddedChannel ch = new EmbeddedChannel(splitter);
        assertThat(feed(ch, "<stream:stream><success xmlns='s'/>")).containsExactly(StanzaSplitter.STREAM_OPEN, "<success xmlns='s'/>");
        splitter.reset();
        assertThat(feed(ch, "<stream:stream id='2'><stream:features/>"))
                .containsExactly(StanzaSplitter.STREAM_OPEN, "<stream:features/>");
    }

    @Test
    void keepsNonAsciiBodiesIntactAsLatin1Bytes() {
        List<String> out = feed(new EmbeddedChannel(new StanzaSplitter()), "<stream:stream><message><body>é</body></message>");
        assertThat(new String(out.get(1).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                .isEqualTo("<message><body>é</body></message>");
    }
}
