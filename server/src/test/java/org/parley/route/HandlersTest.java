package org.parley.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/** The declared hook order: by stage, then by name; never by registration order. */
class HandlersTest {
    private final List<String> ran = new ArrayList<>();

    private StanzaHook recording(String name) {
        return (s, session) -> {
            ran.add(name);
            return s;
        };
    }

    @Test
    void hooksRunByStageThenNameWhateverTheOrderTheyCameIn() {
        Handlers h = new Handlers();
        h.hook(Phase.INBOUND, Stage.FINAL, "a.last", recording("a.last"));
        h.hook(Phase.INBOUND, Stage.COPY, "b.copy", recording("b.copy"));
        h.hook(Phase.INBOUND, Stage.STAMP, "z.stamp", recording("z.stamp"));
        h.hook(Phase.INBOUND, Stage.FILTER, "y.filter", recording("y.filter"));
        h.hook(Phase.INBOUND, Stage.COPY, "a.copy", recording("a.copy"));
        h.seal();

        h.run(Phase.INBOUND, Stanza.presence(Jid.of("a@x"), Jid.of("b@x"), null), null);

        assertThat(ran).containsExactly("y.filter", "z.stamp", "a.copy", "b.copy", "a.last");
        assertThat(h.hookOrder(Phase.INBOUND))
                .containsExactly("FILTER y.filter", "STAMP z.stamp", "COPY a.copy", "COPY b.copy", "FINAL a.last");
    }

    @Test
    void aHookThatConsumesStopsTheLaterStages() {
        Handlers h = new Handlers();
        h.hook(Phase.DELIVER, Stage.FINAL, "x.final", recording("x.final"));
        h.hook(Phase.DELIVER, Stage.FILTER, "x.filter", (s, session) -> null);

        assertThat(h.run(Phase.DELIVER, Stanza.presence(Jid.of("a@x"), Jid.of("b@x"), null), null)).isNull();
        assertThat(ran).isEmpty();
    }

    @Test
    void twoHooksOfOneNameInAPhaseAreAStartUpError() {
        Handlers h = new Handlers();
        h.hook(Phase.OUTBOUND, Stage.COPY, "x.copy", recording("1"));
        h.hook(Phase.INBOUND, Stage.COPY, "x.copy", recording("2")); // another phase: fine

        assertThatThrownBy(() -> h.hook(Phase.OUTBOUND, Stage.FILTER, "x.copy", recording("3")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("x.copy");
        assertThatThrownBy(() -> h.hook(Phase.OUTBOUND, Stage.FILTER, " ", recording("4")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nothingRegistersOnceSealed() {
        Handlers h = new Handlers();
        h.seal();
        assertThatThrownBy(() -> h.hook(Phase.OUTBOUND, Stage.COPY, "late", recording("late")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.service(Jid.of("svc.x"), s -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void oneServicePerDomainAndOneHandlerPerServiceIq() {
        Handlers h = new Handlers();
        h.service(Jid.of("svc.x"), s -> { });
        assertThatThrownBy(() -> h.service(Jid.of("svc.x"), s -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.service(Jid.of("room@svc.x"), s -> { })).isInstanceOf(IllegalArgumentException.class);

        QName q = new QName("urn:q", "q");
        h.iq(IqScope.SERVICE, "svc.x", false, q, r -> null);
        h.iq(IqScope.SERVICE, "other.x", false, q, r -> null); // another service: fine
        h.iq(IqScope.SERVICE, null, false, q, r -> null); // every service: fine
        assertThatThrownBy(() -> h.iq(IqScope.SERVICE, "svc.x", false, q, r -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("svc.x");
        assertThat(h.serviceDomains()).containsExactly("svc.x");
    }
}
