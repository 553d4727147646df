package org.parley.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.testing.FakeSession;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** A service domain as the router serves it: before components, without hooks, IQs by the server's contract. */
class ServiceRoutingTest {
    private static final Jid SERVER = Jid.of("x");
    private static final QName ECHO = new QName("urn:echo", "echo");
    private final LocalDirectory directory = new LocalDirectory();
    private final List<Stanza> received = new CopyOnWriteArrayList<>();
    private final List<Stanza> hooked = new CopyOnWriteArrayList<>();
    private final FakeSession component = new FakeSession(Jid.of("svc.x/component"));
    private IqTracker tracker;
    private Router router;
    private FakeSession alice;

    @BeforeEach
    void setUp() {
        Handlers handlers = new Handlers();
        for (Phase phase : Phase.values()) {
            handlers.hook(phase, Stage.COPY, "test.seen", (s, session) -> {
                hooked.add(s);
                return s;
            });
        }
        handlers.service(Jid.of("svc.x"), s -> {
            if (s.element().element("refuse", "urn:test") != null) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE);
            }
            received.add(s);
        });
        handlers.iq(IqScope.SERVICE, "svc.x", false, ECHO, r -> Element.builder("echo", "urn:echo")
                .attr("target", r.target().toString()).build());
        handlers.iq(IqScope.SERVICE_JID, "svc.x", false, ECHO, r -> Element.builder("echo", "urn:echo")
                .attr("room", r.target().toString()).build());
        handlers.iq(IqScope.SERVICE_JID, "svc.x", true, ECHO, r -> {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        });
        // One for every service domain, like disco.
        handlers.iq(IqScope.SERVICE, null, false, new QName("urn:all", "q"), r -> Element.empty("q", "urn:all"));
        handlers.seal();
        tracker = new IqTracker(Executors.newSingleThreadScheduledExecutor());
        // The same domain is also routed to a component: the service comes first.
        router = new Router(SERVER, directory, handlers, "alice"::equals, tracker,
                domain -> domain.endsWith("svc.x") ? component.jid() : null);
        directory.bind(component);
        alice = new FakeSession(Jid.of("alice@x/a")).available();
        directory.bind(alice);
    }

    private Stanza iq(String to, String type, QName payload) {
        return Stanza.iq(alice.jid(), Jid.of(to), type, "i1", Element.empty(payload.name(), payload.namespace()));
    }

    private Stanza answer() {
        assertThat(alice.delivered).hasSize(1);
        return alice.delivered.get(0);
    }

    private Condition error() {
        Stanza s = answer();
        assertThat(s.isError()).isTrue();
        return StanzaError.from(s.element()).condition();
    }

    @Test
    void messagesAndPresencesToTheDomainAndItsJidsReachTheServiceWithoutHooks() {
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("svc.x"), "chat"), alice);
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("room@svc.x"), "groupchat"), alice);
        router.routeFromClient(Stanza.presence(alice.jid(), Jid.of("room@svc.x/nick"), "unavailable"), alice);
        router.route(Stanza.presence(alice.jid(), Jid.of("room@svc.x/nick"), "error"));

        assertThat(received).extracting(s -> s.to().toString())
                .containsExactly("svc.x", "room@svc.x", "room@svc.x/nick", "room@svc.x/nick");
        assertThat(component.delivered).isEmpty();
        // OUTBOUND ran for what the client sent; nothing else did.
        assertThat(hooked).hasSize(3);
        assertThat(alice.delivered).isEmpty();
    }

    @Test
    void aSubdomainOfTheServiceIsNotItsOwn() {
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("sub.svc.x"), "chat"), alice);
        assertThat(received).isEmpty();
        assertThat(component.delivered).hasSize(1);
    }

    @Test
    void iqsToTheDomainAndToItsJidsGoToTheirHandlers() {
        router.routeFromClient(iq("svc.x", "get", ECHO), alice);
        Stanza result = answer();
        assertThat(result.type()).isEqualTo("result");
        assertThat(result.from()).isEqualTo(Jid.of("svc.x"));
        assertThat(result.payload().attr("target")).isEqualTo("svc.x");

        alice.delivered.clear();
        router.routeFromClient(iq("room@svc.x/nick", "get", ECHO), alice);
        assertThat(answer().payload().attr("room")).isEqualTo("room@svc.x/nick");
        assertThat(answer().from()).isEqualTo(Jid.of("room@svc.x/nick"));

        alice.delivered.clear();
        router.routeFromClient(iq("svc.x", "get", new QName("urn:all", "q")), alice);
        assertThat(answer().type()).isEqualTo("result");
        assertThat(received).isEmpty();
    }

    @Test
    void anIqNoHandlerTakesGetsTheServersErrors() {
        router.routeFromClient(iq("svc.x", "get", new QName("urn:unknown", "q")), alice);
        assertThat(error()).isEqualTo(Condition.SERVICE_UNAVAILABLE);

        alice.delivered.clear();
        router.routeFromClient(iq("svc.x", "get", new QName("urn:echo", "other")), alice);
        assertThat(error()).isEqualTo(Condition.FEATURE_NOT_IMPLEMENTED);

        alice.delivered.clear();
        // Handlers for every service answer at the domain, not at its JIDs.
        router.routeFromClient(iq("room@svc.x", "get", new QName("urn:all", "q")), alice);
        assertThat(error()).isEqualTo(Condition.SERVICE_UNAVAILABLE);

        alice.delivered.clear();
        router.routeFromClient(iq("room@svc.x", "set", ECHO), alice);
        assertThat(error()).isEqualTo(Condition.FORBIDDEN);
        assertThat(answer().from()).isEqualTo(Jid.of("room@svc.x"));
        assertThat(received).isEmpty();
    }

    @Test
    void answersToTheServiceGoToWhoeverWaitsForThemElseToTheService() throws Exception {
        CompletableFuture<Stanza> waiting = tracker.expect("q1", alice.jid(), Duration.ofSeconds(5));
        router.routeFromClient(Stanza.iq(alice.jid(), Jid.of("svc.x"), "result", "q1"), alice);
        assertThat(waiting.get().id()).isEqualTo("q1");
        assertThat(received).isEmpty();

        router.routeFromClient(Stanza.iq(alice.jid(), Jid.of("room@svc.x/nick"), "error", "q2"), alice);
        assertThat(received).extracting(Stanza::id).containsExactly("q2");
        assertThat(alice.delivered).isEmpty();
    }

    @Test
    void aServiceRefusesByThrowingButNeverAnswersAnErrorWithOne() {
        Element refuse = Element.empty("refuse", "urn:test");
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("room@svc.x"), "groupchat", refuse), alice);
        assertThat(error()).isEqualTo(Condition.NOT_ACCEPTABLE);
        assertThat(answer().from()).isEqualTo(Jid.of("room@svc.x"));

        alice.delivered.clear();
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("room@svc.x"), "error", refuse), alice);
        assertThat(alice.delivered).isEmpty();
    }
}
