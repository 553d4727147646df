package org.parley.feature.vcard;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The avatar header reader: the size real encoders write, and nothing for what it cannot read. */
class ImageSizeTest {

    private static byte[] encode(String format, int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    @Test
    void readsTheSizeOfPngGifAndJpeg() throws Exception {
        assertThat(ImageSize.of(encode("png", 64, 48))).isEqualTo(new ImageSize("image/png", 64, 48));
        assertThat(ImageSize.of(encode("gif", 7, 300))).isEqualTo(new ImageSize("image/gif", 7, 300));
        assertThat(ImageSize.of(encode("jpg", 96, 33))).isEqualTo(new ImageSize("image/jpeg", 96, 33));
    }

    @Test
    void aTruncatedHeaderGivesTheTypeWithoutASize() throws Exception {
        for (String format : new String[] {"png", "gif", "jpg"}) {
            byte[] whole = encode(format, 10, 10);
            for (int length = 2; length < 24; length++) {
                ImageSize size = ImageSize.of(Arrays.copyOf(whole, length));
                assertThat(size.known() ? size.width() : 10).as("%s cut at %d", format, length).isEqualTo(10);
            }
        }
        assertThat(ImageSize.of(Arrays.copyOf(encode("png", 10, 10), 20))).isEqualTo(new ImageSize("image/png", 0, 0));
    }

    @Test
    void otherBytesAreUnknown() {
        assertThat(ImageSize.of(new byte[0]).known()).isFalse();
        assertThat(ImageSize.of(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0})).isEqualTo(new ImageSize(null, 0, 0));
        assertThat(ImageSize.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 1}).known()).isFalse();
    }
}
