package org.parley.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.module.Ownership;
import org.parley.module.ServiceDomain;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * A test service at {@code own.<domain>} whose entities (one per bare JID at it, like rooms) are
 * placed with {@link Ownership}: every message to one goes to the entity's owner, which answers
 * "{@code <node> <generation>: <body>}", the generation counting how often this node acquired
 * the entity. So a client sees which node owns the entity and whether it was taken over.
 */
final class OwnedEchoService implements Module {
    /** The entities this node acquired, in order (each acquisition once). */
    final List<String> acquired = new CopyOnWriteArrayList<>();
    /** The entities this node was told it lost. */
    final List<String> lost = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();
    private ServiceDomain service;
    private Ownership.Entities entities;
    private String node;

    @Override
    public String name() {
        return "owned-echo";
    }

    @Override
    public void start(ModuleContext ctx) {
        node = ctx.clusterNodeId().orElseThrow();
        service = ctx.serviceDomain("own." + ctx.serverJid().domain(), s -> {
            if (s.isMessage() && !s.isError()) {
                entities.route(s.to().bare().toString(), s);
            }
        });
        entities = ctx.ownership().open("owned-echo", new Ownership.Owner() {
            @Override
            public void acquired(String entity) {
                // Where a room would load its state from the shared database.
                generations.computeIfAbsent(entity, e -> new AtomicInteger()).incrementAndGet();
                acquired.add(entity);
            }

            @Override
            public void lost(String entity) {
                lost.add(entity);
            }

            @Override
            public void receive(String entity, Stanza s) {
                String body = s.element().childText("body", Namespaces.CLIENT);
                service.send(Stanza.message(s.to(), s.from(), s.type(), Element.builder("body", Namespaces.CLIENT)
                        .text(node + " " + generations.get(entity).get() + ": " + body).build()));
            }
        });
    }

    /** A cluster node with this service in its own JVM, configured by PARLEY_* variables, to be killed. */
    public static void main(String[] args) throws Exception {
        java.util.List<Module> modules = new java.util.ArrayList<>(org.parley.Server.defaultModules());
        modules.add(new OwnedEchoService());
        org.parley.Server server = new org.parley.Server(
                org.parley.config.ConfigLoader.load(null, System.getenv(), org.parley.Server.sections(modules)), modules);
        server.start();
        Thread.currentThread().join();
    }
}
