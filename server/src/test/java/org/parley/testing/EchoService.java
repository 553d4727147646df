package org.parley.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.module.Identity;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.ServiceDomain;
import org.parley.route.IqRequest;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * A test-only service at a subdomain, through the service-domain seam: it echoes messages
 * (body prefixed with "echo: ") and presences back from the address they were sent to,
 * answers an echo IQ at the domain and at its JIDs, declares disco identities, features, an
 * extended information form and one item, and answers disco#info for its JIDs itself.
 */
public final class EchoService implements Module {
    public static final String NAMESPACE = "urn:parley:test:echo";
    public static final QName ECHO = new QName(NAMESPACE, "echo");
    public static final String FORM_TYPE = NAMESPACE + "#info";
    private static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final String DATA = "jabber:x:data";

    private final String subdomain;
    /** The errors that came back to the service (e.g. a bounce of something it sent). */
    public final List<Stanza> errors = new CopyOnWriteArrayList<>();
    private ServiceDomain service;

    /** @param subdomain the label before the server's domain, e.g. "svc" */
    public EchoService(String subdomain) {
        this.subdomain = subdomain;
    }

    /** The service's handle, for tests that send from it. */
    public ServiceDomain service() {
        return service;
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public void start(ModuleContext ctx) {
        service = ctx.serviceDomain(subdomain + "." + ctx.serverJid().domain(), this::receive);
        service.identity(new Identity("component", "generic", "Echo service"));
        service.feature(NAMESPACE);
        service.extendedInfo(Element.builder("x", DATA).attr("type", "result")
                .child(field("FORM_TYPE", "hidden", FORM_TYPE))
                .child(field("max-echo", null, "42"))
                .build());
        service.items((requester, node) -> node != null ? null : List.of(Element.builder("item", DISCO_ITEMS)
                .attr("jid", "room@" + service.jid()).attr("name", "A room").build()));
        service.iqGet(ECHO, this::echo);
        service.jidIqGet(ECHO, this::echo);
        service.jidIqGet(new QName(DISCO_INFO, "query"), r -> Element.builder("query", DISCO_INFO)
                .child(Element.builder("identity", DISCO_INFO).attr("category", "conference").attr("type", "text")
                        .attr("name", r.target().toString()).build())
                .build());
    }

    private static Element field(String var, String type, String value) {
        return Element.builder("field", DATA).attr("var", var).attr("type", type).textChild("value", DATA, value).build();
    }

    private Element echo(IqRequest request) {
        return Element.builder("echo", NAMESPACE).attr("target", request.target().toString()).build();
    }

    private void receive(Stanza s) {
        if (s.isError()) {
            errors.add(s);
            return;
        }
        if (s.isMessage()) {
            String body = s.element().childText("body", Namespaces.CLIENT);
            service.send(Stanza.message(s.to(), s.from(), s.type(),
                    Element.builder("body", Namespaces.CLIENT).text("echo: " + body).build()));
        } else if (s.isPresence() && (s.type() == null || "unavailable".equals(s.type()))) {
            service.send(Stanza.presence(s.to(), s.from(), s.type()));
        }
    }
}
