package org.parley.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * What the enabled modules announce: disco features and identities of the server, of accounts
 * and of hosted service domains, and the stream features offered before and after
 * authentication. Filled while the server starts, read afterwards.
 */
public final class Features {
    private final Set<String> serverFeatures = new LinkedHashSet<>();
    private final Set<String> accountFeatures = new LinkedHashSet<>();
    private final List<Identity> serverIdentities = new ArrayList<>();
    private final List<Identity> accountIdentities = new ArrayList<>();
    private final List<Element> preAuthStreamFeatures = new ArrayList<>();
    private final List<Supplier<Element>> boundStreamFeatures = new ArrayList<>();
    private final List<Element> serverForms = new ArrayList<>();
    private final Set<String> serverInfoNodes = new LinkedHashSet<>();
    private final Set<String> serverItems = new LinkedHashSet<>();
    private final List<AccountNodes> accountNodes = new ArrayList<>();
    private final List<ServerNodes> serverNodes = new ArrayList<>();
    private final Map<String, ServiceDomain> services = new LinkedHashMap<>();

    public synchronized void serverFeature(String var) {
        serverFeatures.add(var);
    }

    public synchronized void accountFeature(String var) {
        accountFeatures.add(var);
    }

    public synchronized void serverIdentity(Identity identity) {
        serverIdentities.add(identity);
    }

    public synchronized void accountIdentity(Identity identity) {
        accountIdentities.add(identity);
    }

    /** A stream feature offered before authentication (e.g. in-band registration). */
    public synchronized void preAuthStreamFeature(Element feature) {
        preAuthStreamFeatures.add(feature);
    }

    /** A stream feature offered after authentication, beside resource binding. */
    public synchronized void boundStreamFeature(Element feature) {
        boundStreamFeatures.add(() -> feature);
    }

    /**
     * A stream feature offered after authentication that is made when a client first needs it,
     * once every module has started: e.g. one that describes what the modules announced.
     */
    public synchronized void boundStreamFeature(Supplier<Element> feature) {
        boundStreamFeatures.add(feature);
    }

    /**
     * A disco#info node of the server that answers as the server itself does, e.g. the
     * {@code node#ver} of the server's entity capabilities (XEP-0115 §6.2).
     */
    public synchronized void serverInfoNode(String node) {
        serverInfoNodes.add(node);
    }

    public synchronized boolean isServerInfoNode(String node) {
        return serverInfoNodes.contains(node);
    }

    /** XEP-0128 extended information (a {@code jabber:x:data} result form) in the server's disco#info. */
    public synchronized void serverExtendedInfo(Element form) {
        serverForms.add(form);
    }

    /** An entity the server's disco#items lists, e.g. an external component's domain. */
    public synchronized void serverItem(String jid) {
        serverItems.add(jid);
    }

    public synchronized List<String> serverItems() {
        return List.copyOf(serverItems);
    }

    public synchronized List<String> serverFeatures() {
        return List.copyOf(serverFeatures);
    }

    public synchronized List<String> accountFeatures() {
        return List.copyOf(accountFeatures);
    }

    public synchronized List<Identity> serverIdentities() {
        return List.copyOf(serverIdentities);
    }

    public synchronized List<Identity> accountIdentities() {
        return List.copyOf(accountIdentities);
    }

    public synchronized List<Element> preAuthStreamFeatures() {
        return List.copyOf(preAuthStreamFeatures);
    }

    public List<Element> boundStreamFeatures() {
        List<Supplier<Element>> suppliers;
        synchronized (this) {
            suppliers = List.copyOf(boundStreamFeatures);
        }
        return suppliers.stream().map(Supplier::get).toList();
    }

    /** The server's disco#info result (XEP-0030 §3.1): its identities, features and extended information. */
    public synchronized Element serverInfo() {
        return infoQuery(serverIdentities, List.copyOf(serverFeatures), serverForms);
    }

    /** A disco#info {@code <query/>}: identities, then features, then XEP-0128 forms. */
    public static Element infoQuery(List<Identity> identities, List<String> vars, List<Element> forms) {
        Element.Builder q = Element.builder("query", Namespaces.DISCO_INFO);
        for (Identity i : identities) {
            q.child(Element.builder("identity", Namespaces.DISCO_INFO)
                    .attr("category", i.category()).attr("type", i.type()).attr("name", i.name()).build());
        }
        for (String var : vars) {
            q.child(Element.builder("feature", Namespaces.DISCO_INFO).attr("var", var).build());
        }
        return q.children(forms).build();
    }

    /** A module that lists items and answers node disco#info on accounts (see {@link AccountNodes}). */
    /** Adds a provider of nodes on the server's domain (disco#info and #items with a node). */
    public synchronized void serverNodes(ServerNodes provider) {
        serverNodes.add(provider);
    }

    public synchronized List<ServerNodes> serverNodes() {
        return List.copyOf(serverNodes);
    }

    public synchronized void accountNodes(AccountNodes provider) {
        accountNodes.add(provider);
    }

    public synchronized List<AccountNodes> accountNodes() {
        return List.copyOf(accountNodes);
    }

    /** A hosted service domain: listed among the server's items, its declarations answer its disco. */
    synchronized void service(ServiceDomain service) {
        services.put(service.jid().domain(), service);
        serverItems.add(service.jid().domain());
    }

    /** The service hosted at {@code domain}, whose declarations disco answers from, or null. */
    public synchronized ServiceDomain service(String domain) {
        return services.get(domain);
    }
}
