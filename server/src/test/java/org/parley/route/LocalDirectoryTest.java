package org.parley.route;

import org.parley.testing.FakeSession;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.xmpp.Jid;

class LocalDirectoryTest {

    @Test
    void bindsLooksUpAndReplacesByFullJid() {
        LocalDirectory d = new LocalDirectory();
        FakeSession a1 = new FakeSession(Jid.of("a@x/1"));
        FakeSession a2 = new FakeSession(Jid.of("a@x/2"));
        assertThat(d.bind(a1)).isNull();
        assertThat(d.bind(a2)).isNull();
        assertThat(d.sessions(Jid.of("a@x"))).containsExactly(a1, a2);
        assertThat(d.session(Jid.of("a@x/2"))).isSameAs(a2);
        assertThat(d.size()).isEqualTo(2);

        FakeSession a1again = new FakeSession(Jid.of("a@x/1"));
        assertThat(d.bind(a1again)).isSameAs(a1);
        assertThat(d.size()).isEqualTo(2);
        // the replaced session going away must not unbind its successor
        assertThat(d.unbind(a1)).isFalse();
        assertThat(d.session(Jid.of("a@x/1"))).isSameAs(a1again);

        assertThat(d.unbind(a1again)).isTrue();
        assertThat(d.unbind(a2)).isTrue();
        assertThat(d.sessions(Jid.of("a@x"))).isEmpty();
        assertThat(d.size()).isZero();
    }
}
