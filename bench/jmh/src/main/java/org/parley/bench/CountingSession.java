package org.parley.bench;

import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/** A bound, available session with no connection behind it: it only counts what it is handed. */
final class CountingSession implements Session {
    private final Jid jid;
    private final Stanza presence;
    long deliveries;
    Stanza last;

    CountingSession(Jid jid, Stanza presence) {
        this.jid = jid;
        this.presence = presence;
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        deliveries++;
        last = stanza;
    }

    @Override
    public void close(StreamError error) {
        throw new UnsupportedOperationException("benchmark sessions are never closed");
    }

    @Override
    public Stanza presence() {
        return presence;
    }

    @Override
    public void updatePresence(Stanza p) {
        throw new UnsupportedOperationException("benchmark sessions keep their presence");
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return null;
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        throw new UnsupportedOperationException("benchmark sessions keep no feature state");
    }
}
