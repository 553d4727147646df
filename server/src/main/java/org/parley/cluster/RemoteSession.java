package org.parley.cluster;

import java.util.List;
import java.util.Map;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/**
 * A session bound on another node, as read from the directory: enough for the router's RFC 6121
 * rules (availability, priority, presence for probe answers). Stanzas and close requests travel
 * over the {@link NodeBus}; per-session state lives on the owning node, so none is kept here.
 */
final class RemoteSession implements Session {
    private final Jid jid;
    private final DirectoryEntry entry;
    private final Stanza presence;
    private final NodeBus bus;
    private final Map<String, String> shared;
    private final List<String> log;
    private final boolean taken;

    RemoteSession(Jid jid, DirectoryEntry entry, NodeBus bus) {
        this(jid, entry, bus, Map.of());
    }

    /** A session of a dead node, with what it shared, ended on a survivor's behalf. */
    RemoteSession(Jid jid, DirectoryEntry entry, NodeBus bus, Map<String, String> shared) {
        this(jid, entry, bus, shared, List.of(), false);
    }

    /**
     * A session of another node taken over (adopted or ended here), with what it shared and logged:
     * its node no longer holds it, so there is nothing to close there.
     */
    RemoteSession(Jid jid, DirectoryEntry entry, NodeBus bus, Map<String, String> shared, List<String> log) {
        this(jid, entry, bus, shared, log, true);
    }

    private RemoteSession(Jid jid, DirectoryEntry entry, NodeBus bus, Map<String, String> shared, List<String> log,
                          boolean taken) {
        this.taken = taken;
        this.log = List.copyOf(log);
        this.jid = jid;
        this.entry = entry;
        this.presence = entry.presence();
        this.bus = bus;
        this.shared = shared;
    }

    @Override
    public String shared(String name) {
        return shared.get(name);
    }

    @Override
    public List<String> sharedLog() {
        return log;
    }

    String node() {
        return entry.node();
    }

    DirectoryEntry entry() {
        return entry;
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        bus.deliver(this, stanza);
    }

    @Override
    public void close(StreamError error) {
        if (!taken) {
            bus.close(this, error);
        }
    }

    @Override
    public Stanza presence() {
        return presence;
    }

    /** The owning node publishes presence changes; a copy here has nothing to record. */
    @Override
    public void updatePresence(Stanza p) {
    }

    @Override
    public boolean isLocal() {
        return false;
    }

    @Override
    public boolean isSecure() {
        return true; // only authenticated, policy-checked streams are ever bound
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return null;
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
    }

    @Override
    public String toString() {
        return "RemoteSession[" + jid + " on " + entry.node() + "]";
    }
}
