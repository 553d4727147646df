package org.parley.feature.vcard;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;

/**
 * vCard photos a client sets (XEP-0054, XEP-0153): the BINVAL is decoded and its image header
 * read for the size, or the vCard is refused with a stanza error. Image headers are fuzzed as
 * bytes too, the way they arrive once decoded.
 */
class VCardPhotoFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<vCard xmlns='vcard-temp'>", "<PHOTO>", "<TYPE>image/png</TYPE>", "<BINVAL>", "</BINVAL>",
            "</PHOTO>", "iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR"})
    void vcard(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            VCardPhoto photo = VCardPhoto.of(e);
            if (photo != null) {
                assertThat(photo.bytes()).isPositive();
                assertThat(photo.id()).hasSize(40);
            }
        });
    }

    @FuzzTest(maxDuration = "30s")
    void imageSize(byte[] image) {
        ImageSize size = ImageSize.of(image);
        assertThat(size).isNotNull();
    }
}
