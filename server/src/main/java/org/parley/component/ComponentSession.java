package org.parley.component;

import io.netty.channel.Channel;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionState;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;

/**
 * An authenticated component connection as the directory and router see it: bound under
 * {@code <domain>/component}, it takes every stanza addressed to its domain. It has no presence;
 * a component is not a user and never receives presence broadcasts.
 */
final class ComponentSession implements Session {
    private final Jid jid;
    private final String domain;
    private final Channel channel;
    private final ComponentHandler handler;
    private final SessionState state = new SessionState();

    ComponentSession(String domain, Channel channel, ComponentHandler handler) {
        this.jid = ComponentServices.address(domain);
        this.domain = domain;
        this.channel = channel;
        this.handler = handler;
    }

    String domain() {
        return domain;
    }

    @Override
    public Jid jid() {
        return jid;
    }

    @Override
    public void deliver(Stanza stanza) {
        if (!channel.isActive()) {
            return;
        }
        Element e = ComponentNamespaces.convert(stanza.element(), Namespaces.CLIENT, ComponentNamespaces.ACCEPT);
        channel.writeAndFlush(e, channel.voidPromise());
    }

    @Override
    public void close(StreamError error) {
        handler.close(error);
    }

    @Override
    public Stanza presence() {
        return null;
    }

    @Override
    public void updatePresence(Stanza presence) {
    }

    /** XEP-0114 streams are not encrypted; operators keep the listener on loopback or a private link. */
    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public <T> T get(SessionKey<T> key) {
        return state.get(key);
    }

    @Override
    public <T> void put(SessionKey<T> key, T value) {
        state.put(key, value);
    }

    @Override
    public String toString() {
        return "ComponentSession[" + domain + "]";
    }
}
