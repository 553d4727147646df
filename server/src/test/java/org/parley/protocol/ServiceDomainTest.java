package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.Jid;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.testing.EchoService;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/** A module's service at a subdomain, end to end, as a Smack client sees it. */
class ServiceDomainTest {
    static final EchoService echo = new EchoService("svc");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers().withModules(echo);

    private static Jid jid(String s) {
        return MessageInbox.jid(s);
    }

    private static ServiceDiscoveryManager disco(MessageInbox c) {
        return ServiceDiscoveryManager.getInstanceFor(c.connection());
    }

    @Test
    void messagesToTheDomainAndToItsJidsReachTheServiceAndItsAnswersComeBack() throws Exception {
        try (MessageInbox alice = server.inbox("svc-alice", "phone")) {
            alice.sendChat("svc.localhost", "to the service");
            Message m = alice.next();
            assertThat(m.getFrom().toString()).isEqualTo("svc.localhost");
            assertThat(m.getBody()).isEqualTo("echo: to the service");

            alice.sendChat("x@svc.localhost/r", "to an occupant");
            m = alice.next();
            assertThat(m.getFrom().toString()).isEqualTo("x@svc.localhost/r");
            assertThat(m.getTo().toString()).isEqualTo(alice.jid().toString());
            assertThat(m.getBody()).isEqualTo("echo: to an occupant");

            alice.send("room@svc.localhost", Message.Type.groupchat, "to a room");
            m = alice.next();
            assertThat(m.getType()).isEqualTo(Message.Type.groupchat);
            assertThat(m.getFrom().toString()).isEqualTo("room@svc.localhost");
        }
    }

    @Test
    void presenceToAJidAtTheServiceIsAnswered() throws Exception {
        try (MessageInbox alice = server.inbox("svc-bob", "phone")) {
            XMPPTCPConnection c = alice.connection();
            AndFilter fromOccupant = new AndFilter(StanzaTypeFilter.PRESENCE,
                    FromMatchesFilter.createFull(jid("x@svc.localhost/r")));
            Presence join = c.getStanzaFactory().buildPresenceStanza().to(jid("x@svc.localhost/r")).build();
            try (StanzaCollector answers = c.createStanzaCollectorAndSend(fromOccupant, join)) {
                Presence answer = answers.nextResult(5000);
                assertThat(answer).as("the service's answer").isNotNull();
                assertThat(answer.getType()).isEqualTo(Presence.Type.available);

                c.sendStanza(c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                        .to(jid("x@svc.localhost/r")).build());
                Presence left = answers.nextResult(5000);
                assertThat(left).as("the service's answer").isNotNull();
                assertThat(left.getType()).isEqualTo(Presence.Type.unavailable);
            }
        }
    }

    private static IQ echoIq(String to, String element) {
        IQ iq = ImClients.rawIq(IQ.Type.get, element, EchoService.NAMESPACE, "");
        iq.setTo(jid(to));
        return iq;
    }

    @Test
    void iqsToTheDomainAndToItsJidsGoToTheServicesHandlers() throws Exception {
        try (MessageInbox alice = server.inbox("svc-carol", "phone")) {
            XMPPTCPConnection c = alice.connection();
            for (String to : List.of("svc.localhost", "room@svc.localhost", "x@svc.localhost/r")) {
                IQ result = c.sendIqRequestAndWaitForResponse(echoIq(to, "echo"));
                assertThat(result.getFrom().toString()).isEqualTo(to);
                assertThat(((UnparsedIQ) result).getContent().toString()).contains("target='" + to + "'");
            }
        }
    }

    @Test
    void anIqNoHandlerTakesGetsTheErrorTheServerWouldAnswer() throws Exception {
        try (MessageInbox alice = server.inbox("svc-dave", "phone")) {
            XMPPTCPConnection c = alice.connection();
            IQ version = ImClients.rawIq(IQ.Type.get, "query", "jabber:iq:version", "");
            version.setTo(jid("svc.localhost"));
            assertThat(errorOf(c, version)).isEqualTo(StanzaError.Condition.service_unavailable);
            assertThat(errorOf(c, echoIq("svc.localhost", "other"))).isEqualTo(StanzaError.Condition.feature_not_implemented);
            assertThat(errorOf(c, echoIq("x@svc.localhost/r", "other")))
                    .isEqualTo(StanzaError.Condition.feature_not_implemented);
            IQ set = echoIq("svc.localhost", "echo");
            set.setType(IQ.Type.set);
            assertThat(errorOf(c, set)).isEqualTo(StanzaError.Condition.feature_not_implemented);
        }
    }

    private static StanzaError.Condition errorOf(XMPPTCPConnection c, IQ request) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> c.sendIqRequestAndWaitForResponse(request));
        assertThat(e).as("an error answers " + request.toXML()).isNotNull();
        return e.getStanzaError().getCondition();
    }

    @Test
    void theServerListsTheServiceAndTheServiceDescribesItself() throws Exception {
        try (MessageInbox alice = server.inbox("svc-erin", "phone")) {
            DiscoverItems items = disco(alice).discoverItems(jid("localhost"));
            assertThat(items.getItems()).extracting(i -> i.getEntityID().toString())
                    .containsExactlyInAnyOrder("svc.localhost", "upload.localhost", "conference.localhost");

            DiscoverInfo info = disco(alice).discoverInfo(jid("svc.localhost"));
            assertThat(info.getIdentities()).hasSize(1);
            DiscoverInfo.Identity identity = info.getIdentities().get(0);
            assertThat(identity.getCategory()).isEqualTo("component");
            assertThat(identity.getType()).isEqualTo("generic");
            assertThat(identity.getName()).isEqualTo("Echo service");
            assertThat(info.getFeatures()).extracting(DiscoverInfo.Feature::getVar).containsExactly(
                    "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                    EchoService.NAMESPACE);
            DataForm form = DataForm.from(info, EchoService.FORM_TYPE);
            assertThat(form).as("the XEP-0128 extended information form").isNotNull();
            assertThat(form.getType()).isEqualTo(DataForm.Type.result);
            assertThat(form.getField("max-echo").getFirstValue()).isEqualTo("42");

            DiscoverItems rooms = disco(alice).discoverItems(jid("svc.localhost"));
            assertThat(rooms.getItems()).extracting(i -> i.getEntityID().toString())
                    .containsExactly("room@svc.localhost");
            XMPPErrorException node = catchThrowableOfType(XMPPErrorException.class,
                    () -> disco(alice).discoverInfo(jid("svc.localhost"), "no-such-node"));
            assertThat(node.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);

            // Disco of a JID at the service is the service's own answer.
            DiscoverInfo room = disco(alice).discoverInfo(jid("room@svc.localhost"));
            assertThat(room.hasIdentity("conference", "text")).isTrue();
            assertThat(room.getIdentities().get(0).getName()).isEqualTo("room@svc.localhost");
        }
    }

    @Test
    void whatTheServiceSendsIsRoutedAndBouncesBackWhenNobodyTakesIt() throws Exception {
        server.account("svc-gone");
        Element body = Element.builder("body", Namespaces.CLIENT).text("hello").build();
        // RFC 6121 §8.5.3.2.1: a groupchat message to a resource that has no session.
        echo.service().send(Stanza.message(org.parley.xmpp.Jid.of("room@svc.localhost/nick"),
                org.parley.xmpp.Jid.of("svc-gone@localhost/phone"), "groupchat", body));
        // Routed on this thread: the bounce is back before send returns. (Other tests' clients
        // may bounce what the service sent them too, when they close before reading it.)
        List<Stanza> bounced = echo.errors.stream()
                .filter(e -> e.from().equals(org.parley.xmpp.Jid.of("svc-gone@localhost/phone"))).toList();
        assertThat(bounced).hasSize(1);
        Stanza error = bounced.get(0);
        assertThat(error.to()).isEqualTo(org.parley.xmpp.Jid.of("room@svc.localhost/nick"));
        assertThat(org.parley.xmpp.StanzaError.from(error.element()).condition())
                .isEqualTo(org.parley.xmpp.StanzaError.Condition.SERVICE_UNAVAILABLE);
        assertThatThrownBy(() -> echo.service().send(Stanza.message(org.parley.xmpp.Jid.of("elsewhere.localhost"),
                org.parley.xmpp.Jid.of("svc-gone@localhost"), "chat", body)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A module that hosts a service at a domain of its choice. */
    private static Module serviceAt(String domain) {
        return new Module() {
            @Override
            public String name() {
                return "at-" + domain;
            }

            @Override
            public void start(ModuleContext ctx) {
                ctx.serviceDomain(domain, s -> { });
            }
        };
    }

    private static List<Module> withService(String domain) {
        return TestServer.standardAnd(List.of(serviceAt(domain)));
    }

    @Test
    void aServiceDomainThatIsTheServersOrAComponentsRefusesToStart(@TempDir Path dir) {
        assertThatThrownBy(() -> TestServer.start(dir.resolve("own"), Map.of(), withService("localhost")))
                .hasMessageContaining("server's own domain");
        Map<String, String> components = Map.of("PARLEY_COMPONENTS_PORT", "0",
                "PARLEY_COMPONENTS_SERVICES", "bot.localhost=s3cret");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("same"), components, withService("bot.localhost")))
                .hasMessageContaining("bot.localhost");
        // A component serves its subdomains too.
        assertThatThrownBy(() -> TestServer.start(dir.resolve("sub"), components, withService("rooms.bot.localhost")))
                .hasMessageContaining("rooms.bot.localhost");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("twice"), Map.of(),
                TestServer.standardAnd(List.of(serviceAt("svc.localhost"), serviceAt("svc.localhost")))))
                .hasMessageContaining("two services");
    }
}
