package org.parley.route;

import org.parley.testing.FakeSession;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

class RouterTest {
    private static final Jid SERVER = Jid.of("x");
    private final Handlers handlers = new Handlers();
    private final LocalDirectory directory = new LocalDirectory();
    private final Set<String> accounts = Set.of("alice", "bob");
    private final List<Stanza> undelivered = new ArrayList<>();
    private Router router;
    private FakeSession alice;
    private FakeSession bob1;
    private FakeSession bob2;

    @BeforeEach
    void setUp() {
        handlers.hook(Phase.UNDELIVERED, Stage.FINAL, "test.undelivered", (s, none) -> {
            undelivered.add(s);
            return null;
        });
        handlers.iq(IqScope.SERVER, false, new QName("urn:ok", "q"), r -> Element.empty("q", "urn:ok"));
        handlers.iq(IqScope.SERVER, false, new QName("urn:fail", "q"), r -> {
            throw new StanzaErrorException(Condition.FORBIDDEN);
        });
        handlers.iq(IqScope.SERVER, false, new QName("urn:bug", "q"), r -> {
            throw new IllegalStateException("bug");
        });
        handlers.seal();
        router = new Router(SERVER, directory, handlers, accounts::contains,
                new IqTracker(Executors.newSingleThreadScheduledExecutor()));
        alice = available(new FakeSession(Jid.of("alice@x/a")), 0);
        bob1 = available(new FakeSession(Jid.of("bob@x/1")), 5);
        bob2 = available(new FakeSession(Jid.of("bob@x/2")), -1);
        directory.bind(alice);
        directory.bind(bob1);
        directory.bind(bob2);
    }

    private static FakeSession available(FakeSession s, int priority) {
        s.updatePresence(Stanza.presence(s.jid(), null, null,
                Element.builder("priority", "jabber:client").text(Integer.toString(priority)).build()));
        return s;
    }

    private Stanza chat(String to) {
        return Stanza.message(alice.jid(), Jid.of(to), "chat", Element.builder("body", "jabber:client").text("hi").build());
    }

    private static StanzaError.Condition errorOf(FakeSession s) {
        assertThat(s.delivered).hasSize(1);
        return StanzaError.from(s.delivered.get(0).element()).condition();
    }

    @Test
    void chatToBareJidReachesEveryNonNegativeResource() {
        router.routeFromClient(chat("bob@x"), alice);
        assertThat(bob1.delivered).hasSize(1);
        assertThat(bob2.delivered).isEmpty();
    }

    @Test
    void chatToFullJidReachesThatResourceEvenWithNegativePriority() {
        router.routeFromClient(chat("bob@x/2"), alice);
        assertThat(bob2.delivered).hasSize(1);
        assertThat(bob1.delivered).isEmpty();
    }

    @Test
    void chatToOfflineResourceFallsBackToTheBareJid() {
        router.routeFromClient(chat("bob@x/gone"), alice);
        assertThat(bob1.delivered).hasSize(1);
    }

    @Test
    void messageToExistingAccountWithoutSessionsGoesToUndeliveredHooks() {
        directory.unbind(bob1);
        directory.unbind(bob2);
        router.routeFromClient(chat("bob@x"), alice);
        assertThat(undelivered).hasSize(1);
        assertThat(alice.delivered).isEmpty();
    }

    @Test
    void headlineToOfflineAccountIsDropped() {
        directory.unbind(bob1);
        directory.unbind(bob2);
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("bob@x"), "headline"), alice);
        assertThat(undelivered).isEmpty();
        assertThat(alice.delivered).isEmpty();
    }

    @Test
    void unknownUserIsServiceUnavailableButPresenceIsIgnored() {
        router.routeFromClient(chat("carol@x"), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
        alice.delivered.clear();
        router.routeFromClient(Stanza.presence(alice.jid(), Jid.of("carol@x"), null), alice);
        assertThat(alice.delivered).isEmpty();
    }

    /** RFC 6121 §8.5.1: subscription stanzas to an account that does not exist are silently ignored. */
    @Test
    void subscriptionRequestToNobodyIsSilentlyIgnored() {
        for (String type : new String[] {"subscribe", "subscribed", "unsubscribe", "unsubscribed"}) {
            router.routeFromClient(Stanza.presence(alice.jid().bare(), Jid.of("carol@x"), type), alice);
        }
        assertThat(alice.delivered).isEmpty();
    }

    /** A probe to nobody may be answered 'unsubscribed' (§8.5.1, §4.3.2); the prober stops waiting. */
    @Test
    void probeToNobodyIsAnsweredUnsubscribed() {
        router.routeFromClient(Stanza.presence(alice.jid().bare(), Jid.of("carol@x"), "probe"), alice);
        assertThat(alice.delivered).hasSize(1);
        assertThat(alice.delivered.get(0).type()).isEqualTo("unsubscribed");
        assertThat(alice.delivered.get(0).from()).isEqualTo(Jid.of("carol@x"));
    }

    @Test
    void otherDomainsAreUnreachable() {
        router.routeFromClient(chat("bob@elsewhere"), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.REMOTE_SERVER_NOT_FOUND);
    }

    @Test
    void chatToTheServerIsServiceUnavailable() {
        router.routeFromClient(chat("x"), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
    }

    @Test
    void errorsAreNeverAnsweredWithErrors() {
        router.routeFromClient(Stanza.message(alice.jid(), Jid.of("carol@x"), "error"), alice);
        assertThat(alice.delivered).isEmpty();
    }

    @Test
    void iqHandlersAnswerWithResultsAndErrors() {
        router.routeFromClient(Stanza.iq(alice.jid(), SERVER, "get", "1", Element.empty("q", "urn:ok")), alice);
        assertThat(alice.delivered.get(0).type()).isEqualTo("result");
        assertThat(alice.delivered.get(0).payload().namespace()).isEqualTo("urn:ok");
        alice.delivered.clear();

        router.routeFromClient(Stanza.iq(alice.jid(), SERVER, "get", "2", Element.empty("q", "urn:fail")), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.FORBIDDEN);
        alice.delivered.clear();

        router.routeFromClient(Stanza.iq(alice.jid(), SERVER, "get", "3", Element.empty("q", "urn:bug")), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.INTERNAL_SERVER_ERROR);
        alice.delivered.clear();

        router.routeFromClient(Stanza.iq(alice.jid(), SERVER, "get", "4", Element.empty("q", "urn:unknown")), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
        alice.delivered.clear();

        router.routeFromClient(Stanza.iq(alice.jid(), SERVER, "set", "5", Element.empty("q", "urn:ok")), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.FEATURE_NOT_IMPLEMENTED);
    }

    @Test
    void iqToAnOfflineFullJidIsServiceUnavailable() {
        router.routeFromClient(Stanza.iq(alice.jid(), Jid.of("bob@x/gone"), "get", "1", Element.empty("q", "urn:q")), alice);
        assertThat(errorOf(alice)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
    }

    @Test
    void outboundHookMayConsume() {
        Handlers h = new Handlers();
        h.hook(Phase.OUTBOUND, Stage.FILTER, "test.drop", (s, origin) -> null);
        Router r = new Router(SERVER, directory, h, accounts::contains,
                new IqTracker(Executors.newSingleThreadScheduledExecutor()));
        r.routeFromClient(chat("bob@x"), alice);
        assertThat(bob1.delivered).isEmpty();
    }

    // deliverLocally: what a cluster node does with a stanza another node routed to one of its sessions.

    @Test
    void fromAnotherNodeAStanzaReachesTheNamedLocalSession() {
        router.deliverLocally(chat("bob@x"), bob2);
        assertThat(bob2.delivered).hasSize(1);
        assertThat(bob1.delivered).isEmpty();
    }

    @Test
    void fromAnotherNodeAChatToAResourceThatEndedFollowsTheBareJidRules() {
        directory.unbind(bob2);
        router.deliverLocally(chat("bob@x/2"), null);
        assertThat(bob1.delivered).hasSize(1);
        assertThat(undelivered).isEmpty();
    }

    @Test
    void fromAnotherNodeACopyOfABareJidMessageGoesToTheResourceThatCanReadItNow() {
        // bob1 may have bound after the message was routed to bob2 and never had a copy: it gets
        // one (a resource that had one drops it by its stanza-id).
        directory.unbind(bob2);
        router.deliverLocally(chat("bob@x"), null);
        assertThat(bob1.delivered).as("not dropped: bob1 may have bound since").hasSize(1);
        assertThat(undelivered).isEmpty();

        directory.unbind(bob1);
        router.deliverLocally(chat("bob@x"), null);
        assertThat(undelivered).hasSize(1);
    }

    @Test
    void fromAnotherNodeAnIqToAResourceThatEndedIsAnsweredServiceUnavailable() {
        directory.unbind(bob1);
        router.deliverLocally(Stanza.iq(alice.jid(), Jid.of("bob@x/1"), "get", "q1", Element.empty("q", "urn:ok")), null);
        assertThat(errorOf(alice)).isEqualTo(Condition.SERVICE_UNAVAILABLE);
    }
}
