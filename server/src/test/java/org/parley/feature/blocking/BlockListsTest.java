package org.parley.feature.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xmpp.Jid;

/** XEP-0191 §2 (XEP-0016) JID matching. */
class BlockListsTest {

    private static boolean blocks(String entry, String jid) {
        return BlockLists.matches(List.of(entry), Jid.of(jid));
    }

    @Test
    void fullJidMatchesOnlyThatResource() {
        assertThat(blocks("a@x.org/phone", "a@x.org/phone")).isTrue();
        assertThat(blocks("a@x.org/phone", "a@x.org/laptop")).isFalse();
        assertThat(blocks("a@x.org/phone", "a@x.org")).isFalse();
    }

    @Test
    void bareJidMatchesEveryResource() {
        assertThat(blocks("a@x.org", "a@x.org")).isTrue();
        assertThat(blocks("a@x.org", "a@x.org/any")).isTrue();
        assertThat(blocks("a@x.org", "b@x.org/any")).isFalse();
    }

    @Test
    void domainResourceMatchesThatResourceAtTheDomain() {
        // XEP-0016 §2.1: a JID is also tried as domain/resource, so any user's resource of that name matches.
        assertThat(blocks("x.org/bot", "x.org/bot")).isTrue();
        assertThat(blocks("x.org/bot", "a@x.org/bot")).isTrue();
        assertThat(blocks("x.org/bot", "x.org")).isFalse();
        assertThat(blocks("x.org/bot", "a@x.org/phone")).isFalse();
    }

    @Test
    void domainMatchesItsUsersResourcesAndSubdomains() {
        assertThat(blocks("x.org", "x.org")).isTrue();
        assertThat(blocks("x.org", "a@x.org/r")).isTrue();
        assertThat(blocks("x.org", "x.org/r")).isTrue();
        assertThat(blocks("x.org", "muc.x.org")).isTrue();
        assertThat(blocks("x.org", "a@muc.x.org")).isTrue();
        assertThat(blocks("x.org", "y.org")).isFalse();
        assertThat(blocks("x.org", "notx.org")).isFalse();
    }
}
