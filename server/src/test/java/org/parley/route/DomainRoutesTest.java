package org.parley.route;

import org.parley.testing.FakeSession;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;

/** The router's use of {@link DomainRoutes}: foreign domains served through the directory. */
class DomainRoutesTest {
    private static final Jid SERVER = Jid.of("x");
    private static final Jid VIA = Jid.of("svc.x/component");
    private final LocalDirectory directory = new LocalDirectory();
    private final List<Stanza> hooked = new CopyOnWriteArrayList<>();
    private Router router;
    private FakeSession alice;

    @BeforeEach
    void setUp() {
        Handlers handlers = new Handlers();
        handlers.hook(Phase.DELIVER, Stage.COPY, "test.seen", (s, session) -> {
            hooked.add(s);
            return s;
        });
        handlers.seal();
        router = new Router(SERVER, directory, handlers, "alice"::equals,
                new IqTracker(Executors.newSingleThreadScheduledExecutor()),
                domain -> domain.equals("svc.x") || domain.endsWith(".svc.x") ? VIA : null);
        alice = new FakeSession(Jid.of("alice@x/a"));
        alice.updatePresence(Stanza.presence(alice.jid(), null, null));
        directory.bind(alice);
    }

    private Stanza chat(String to) {
        return Stanza.message(alice.jid(), Jid.of(to), "chat", Element.builder("body", "jabber:client").text("b").build());
    }

    @Test
    void aRoutedDomainGoesToTheSessionBoundThereWithoutDeliverHooks() {
        FakeSession component = new FakeSession(VIA);
        directory.bind(component);
        router.route(chat("bot@svc.x/r"));
        router.route(chat("room@muc.svc.x"));
        assertThat(component.delivered).extracting(s -> s.to().toString()).containsExactly("bot@svc.x/r", "room@muc.svc.x");
        assertThat(hooked).isEmpty();
    }

    @Test
    void aRoutedDomainWithNothingBoundIsServiceUnavailable() {
        router.route(chat("svc.x"));
        assertThat(alice.delivered).singleElement().satisfies(e -> {
            assertThat(e.isError()).isTrue();
            assertThat(StanzaError.from(e.element()).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
        });
    }

    @Test
    void otherDomainsStayRemote() {
        router.route(chat("y"));
        assertThat(StanzaError.from(alice.delivered.get(0).element()).condition())
                .isEqualTo(StanzaError.Condition.REMOTE_SERVER_NOT_FOUND);
    }

    @Test
    void aStanzaFromAnotherNodeForAComponentThatLeftBounces() {
        router.deliverLocally(chat("svc.x"), null);
        assertThat(StanzaError.from(alice.delivered.get(0).element()).condition())
                .isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
    }
}
