package org.parley.module;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.route.Handlers;
import org.parley.route.IqHandler;
import org.parley.route.IqScope;
import org.parley.route.Router;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;

/**
 * A service a module hosts at its own domain, e.g. group chat (XEP-0045) at
 * {@code conference.example.org} or file upload (XEP-0363) at {@code upload.example.org}: the
 * module's handle, from {@link ModuleContext#serviceDomain}.
 *
 * <p>The design:
 * <ul>
 *   <li><b>Addressing.</b> The router looks the 'to' domain up among the service domains before
 *       the external components' (XEP-0114) and before treating it as remote. A service takes
 *       the domain itself and every JID at it ({@code room@conference.example.org},
 *       {@code room@conference.example.org/nick}); not its subdomains. Every node of a cluster
 *       runs the same modules, so a stanza reaches the service on the node where it was routed;
 *       state that must live on one node (a room) is placed with {@link Ownership}.</li>
 *   <li><b>Receiving.</b> Messages and presences of every type (groupchat, unavailable, error)
 *       and IQ answers go to the module's {@link org.parley.route.ServiceReceiver}, without
 *       feature hooks: like a component, a service applies its own rules. IQ requests go to the
 *       handlers registered here, to the domain ({@link #iqGet}) or to a JID at it
 *       ({@link #jidIqGet}; {@link #jidIqOther} for any payload no handler takes), under the server's {@link IqHandler} contract: a thrown
 *       {@link org.parley.xmpp.StanzaErrorException} becomes the error reply, an IQ no handler
 *       takes gets {@code feature-not-implemented} when the service knows its namespace and
 *       {@code service-unavailable} otherwise, as the server's own do.</li>
 *   <li><b>Discovery.</b> The service declares its disco#info identities, features and
 *       XEP-0128 extended information forms, and may list items; disco#info and #items
 *       addressed to the domain are answered from these (by the disco feature, which registers
 *       for every service domain), and the server lists the domain among its own items
 *       (XEP-0030 §4). Disco to a JID at the domain (a room's info) is the service's to answer
 *       with {@link #jidIqGet}.</li>
 *   <li><b>Sending.</b> What the service sends ({@link #send}, {@link #bounce}) goes through the
 *       router like any server-generated stanza: to a local account through its INBOUND hooks
 *       and the RFC 6121 §8.5 delivery rules (a groupchat message to a resource that is gone
 *       bounces back with {@code service-unavailable}, which the service sees as an error
 *       message), to anything else as routed. Bounces follow RFC 6120 §8.3: never an error in
 *       reply to an error, nor to an IQ answer.</li>
 * </ul>
 * Declarations are made while the server starts; the disco answers read them afterwards.
 */
public final class ServiceDomain {

    /** The disco#items of a service domain, e.g. a group chat service's public rooms. */
    @FunctionalInterface
    public interface Items {
        /**
         * The {@code <item/>} elements (disco#items namespace) {@code requester} may see at
         * {@code node} (null for the domain itself), or null when the node is unknown.
         */
        List<Element> items(Jid requester, String node);
    }

    private static final String DATA_FORMS = "jabber:x:data";

    private final Jid jid;
    private final Handlers handlers;
    private final Router router;
    private final List<Identity> identities = new ArrayList<>();
    private final Set<String> features = new LinkedHashSet<>();
    private final List<Element> forms = new ArrayList<>();
    private volatile Items items = (requester, node) -> node == null ? List.of() : null;

    ServiceDomain(Jid jid, Handlers handlers, Router router) {
        this.jid = jid;
        this.handlers = handlers;
        this.router = router;
    }

    /** The service's address: its domain. */
    public Jid jid() {
        return jid;
    }

    /** Whether {@code address} is the domain or a JID at it. */
    public boolean hosts(Jid address) {
        return address != null && address.domain().equals(jid.domain());
    }

    /** Answers IQ gets with this payload addressed to the domain itself. */
    public void iqGet(QName payload, IqHandler handler) {
        handlers.iq(IqScope.SERVICE, jid.domain(), false, payload, handler);
    }

    /** Answers IQ sets with this payload addressed to the domain itself. */
    public void iqSet(QName payload, IqHandler handler) {
        handlers.iq(IqScope.SERVICE, jid.domain(), true, payload, handler);
    }

    /** Answers IQ gets with this payload addressed to a JID at the domain; the request's target says which. */
    public void jidIqGet(QName payload, IqHandler handler) {
        handlers.iq(IqScope.SERVICE_JID, jid.domain(), false, payload, handler);
    }

    /** Answers IQ sets with this payload addressed to a JID at the domain; the request's target says which. */
    public void jidIqSet(QName payload, IqHandler handler) {
        handlers.iq(IqScope.SERVICE_JID, jid.domain(), true, payload, handler);
    }

    /**
     * Answers IQ requests (get and set) to JIDs at the domain whose payload no other handler
     * takes, e.g. those a group chat service passes on to the occupant they are addressed to.
     */
    public void jidIqOther(IqHandler handler) {
        handlers.iq(IqScope.SERVICE_JID, jid.domain(), false, Handlers.ANY_PAYLOAD, handler);
        handlers.iq(IqScope.SERVICE_JID, jid.domain(), true, Handlers.ANY_PAYLOAD, handler);
    }

    /** A disco#info identity of the domain (XEP-0030 §3.1). */
    public synchronized void identity(Identity identity) {
        identities.add(identity);
    }

    /** A disco#info feature of the domain. */
    public synchronized void feature(String var) {
        features.add(var);
    }

    /**
     * An extended information form of the domain (XEP-0128): a {@code jabber:x:data} form of type
     * result whose hidden FORM_TYPE field names its registered type, e.g. the upload size limit
     * of XEP-0363 §2.
     */
    public synchronized void extendedInfo(Element form) {
        if (!form.is("x", DATA_FORMS) || !"result".equals(form.attr("type"))) {
            throw new IllegalArgumentException("extended info is a jabber:x:data form of type result");
        }
        forms.add(form);
    }

    /** Lists the domain's disco#items; without it the domain has none and no nodes. */
    public void items(Items provider) {
        this.items = provider;
    }

    public synchronized List<Identity> identities() {
        return List.copyOf(identities);
    }

    public synchronized List<String> features() {
        return List.copyOf(features);
    }

    public synchronized List<Element> extendedInfo() {
        return List.copyOf(forms);
    }

    /** The items {@code requester} may see at {@code node}, or null for an unknown node. */
    public List<Element> items(Jid requester, String node) {
        return items.items(requester, node);
    }

    /**
     * Sends a stanza from the service (its 'from' at the domain) through the router, as any
     * stanza the server generates.
     */
    public void send(Stanza stanza) {
        if (!hosts(stanza.from())) {
            throw new IllegalArgumentException("a stanza of " + jid + " comes from it, not from " + stanza.from());
        }
        router.route(stanza);
    }

    /** Answers a stanza sent to the service with an error, unless it is itself an error or an IQ answer. */
    public void bounce(Stanza stanza, org.parley.xmpp.StanzaError error) {
        router.bounce(stanza, error);
    }
}
