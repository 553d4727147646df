package org.parley.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.xml.Element;

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
    private final List<Element> boundStreamFeatures = new ArrayList<>();
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
        boundStreamFeatures.add(feature);
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

    public synchronized List<Element> boundStreamFeatures() {
        return List.copyOf(boundStreamFeatures);
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
