package org.parley.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionState;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/**
 * A session that records what it is given, for tests of the router and of modules on it; a test
 * that needs a session to behave otherwise (refuse, leave) extends it.
 */
public class FakeSession implements Session {
    public final List<Stanza> delivered = new CopyOnWriteArrayList<>();
    private final SessionState state = new SessionState();
    private final Jid jid;
    private final boolean detached;
    private volatile Stanza presence;
    public volatile StreamError closedWith;

    public FakeSession(Jid jid) {
        this(jid, false);
    }

    /** @param detached whether it stands for a session awaiting resumption (XEP-0198) */
    public FakeSession(Jid jid, boolean detached) {
        this.jid = jid;
        this.detached = detached;
    }

    /** Marks it available, as its initial presence would. */
    public FakeSession available() {
        presence = Stanza.presence(jid, null, null);
        return this;
    }

    /** A detached one stands for a session whose resumption window closes in ten minutes. */
    @Override
    public Instant detachedUntil() {
        return detached ? Instant.now().plus(Duration.ofMinutes(10)) : null;
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        delivered.add(stanza);
    }

    @Override
    public void close(StreamError error) {
        closedWith = error;
    }

    @Override
    public Stanza presence() {
        return presence;
    }

    @Override
    public void updatePresence(Stanza p) {
        presence = p == null || "unavailable".equals(p.type()) ? null : p;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return state.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        state.put(key, value);
    }
}
