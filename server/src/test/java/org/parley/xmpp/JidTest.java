package org.parley.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JidTest {

    @Test
    void splitsLocalDomainAndResource() {
        Jid j = Jid.of("juliet@example.com/balcony");
        assertThat(j.local()).isEqualTo("juliet");
        assertThat(j.domain()).isEqualTo("example.com");
        assertThat(j.resource()).isEqualTo("balcony");
        assertThat(j.bare()).isEqualTo(Jid.of("juliet@example.com"));
        assertThat(j.isBare()).isFalse();
    }

    @Test
    void resourceMayContainAtAndSlash() {
        Jid j = Jid.of("juliet@example.com/foo@bar/baz");
        assertThat(j.local()).isEqualTo("juliet");
        assertThat(j.resource()).isEqualTo("foo@bar/baz");
    }

    @Test
    void localpartAndDomainAreCaseMappedResourceIsNot() {
        Jid j = Jid.of("Juliet@Example.COM/Balcony");
        assertThat(j.toString()).isEqualTo("juliet@example.com/Balcony");
        assertThat(j).isEqualTo(Jid.of("juliet@example.com/Balcony"));
        assertThat(j).isNotEqualTo(Jid.of("juliet@example.com/balcony"));
    }

    @Test
    void domainOnlyAndTrailingDot() {
        assertThat(Jid.of("example.com.").toString()).isEqualTo("example.com");
        assertThat(Jid.of("example.com").isDomainOnly()).isTrue();
        assertThat(Jid.of("caf\u00e9.example\u3002").toString()).isEqualTo("caf\u00e9.example");
    }

    /** A fuzz finding: "a.." kept a trailing dot, so the JID's string form parsed to another JID. */
    @Test
    void onlyOneFinalDotIsStripped() {
        assertThatThrownBy(() -> Jid.of("a6xne1.je1..")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("juliet@caf\u00e9.example..")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("example.com.\u3002")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of(".")).isInstanceOf(JidFormatException.class);
    }

    /** A fuzz finding: an A-label whose U-label does not encode back to it (RFC 5891 §5.4). */
    @Test
    void aBogusALabelIsRefused() {
        assertThatThrownBy(() -> Jid.of("xn--ohexn--ohe.Aco.Aco")).isInstanceOf(JidFormatException.class);
        Jid upper = Jid.of("juliet@XN--CAF-DMA.example/r");
        assertThat(upper.domain()).isEqualTo("caf\u00e9.example");
        assertThat(Jid.of(upper.toString())).isEqualTo(upper);
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThatThrownBy(() -> Jid.of("")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("@example.com")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("juliet@example.com/")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("jul iet@example.com")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("juliet@exa mple.com")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("a".repeat(1024) + "@example.com")).isInstanceOf(JidFormatException.class);
        assertThat(Jid.parseOrNull("juliet@")).isNull();
    }

    @Test
    void asciiFastPathAgreesWithPrecis() {
        // Each of these goes through a fast path or the full PRECIS/IDNA pass; the result must not differ.
        for (String s : new String[] {"alice@localhost/r1", "a.b-c_d@x.example/Res Source", "ALICE@LOCALHOST/R",
                "ελένη@example.com/τ", "alice@xn--bcher-kva.example/r", "alice@bücher.example/ r"}) {
            Jid fast = Jid.of(s);
            assertThat(Jid.of(fast.toString())).isEqualTo(fast);
            assertThat(rocks.xmpp.precis.PrecisProfiles.USERNAME_CASE_MAPPED.enforce(fast.local())).isEqualTo(fast.local());
            assertThat(rocks.xmpp.precis.PrecisProfiles.OPAQUE_STRING.enforce(fast.resource())).isEqualTo(fast.resource());
        }
        assertThatThrownBy(() -> Jid.of("a\"b@x")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("a@-x.example")).isInstanceOf(JidFormatException.class);
        assertThatThrownBy(() -> Jid.of("a@x..example")).isInstanceOf(JidFormatException.class);
    }

    @Test
    void canonicalInputIsKeptAndOtherInputIsRebuilt() {
        assertThat(Jid.of("a@x.example./r").toString()).isEqualTo("a@x.example/r");
        assertThat(Jid.of("A@x/r").toString()).isEqualTo("a@x/r");
        Jid full = Jid.of("a@x/r@s/t");
        assertThat(full.local()).isEqualTo("a");
        assertThat(full.resource()).isEqualTo("r@s/t");
        assertThat(full.bare().toString()).isEqualTo("a@x");
        assertThat(full.bare()).isSameAs(full.bare());
        assertThat(Jid.of("x/a@b").local()).isNull();
        assertThat(Jid.of("x/a@b").resource()).isEqualTo("a@b");
    }

    @Test
    void sameBareComparesWithoutResource() {
        assertThat(Jid.of("a@x/1").sameBare(Jid.of("a@x/2"))).isTrue();
        assertThat(Jid.of("a@x/1").sameBare(Jid.of("b@x/1"))).isFalse();
    }
}
