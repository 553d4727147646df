package org.parley.xmpp;

/**
 * Namespaces defined once for the whole server: those of the XMPP core (RFC 6120) that the stream
 * and session layers speak, and those of the extensions several packages speak while no support
 * package owns them. A namespace one feature alone uses stays in that feature; one with a support
 * package ({@code xmpp.forms}, {@code xmpp.rsm}, {@code xmpp.delay}, {@code xmpp.forward},
 * {@code xmpp.hints}) is that package's {@code NAMESPACE}.
 */
public final class Namespaces {
    public static final String CLIENT = "jabber:client";
    public static final String SERVER = "jabber:server";
    public static final String STREAMS = "http://etherx.jabber.org/streams";
    public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
    public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    /** RFC 3921 session establishment, kept as an optional no-op for older clients. */
    public static final String SESSION = "urn:ietf:params:xml:ns:xmpp-session";
    public static final String XML = "http://www.w3.org/XML/1998/namespace";

    /** XEP-0030 service discovery: the disco module answers, caps and PEP read and write it too. */
    public static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    public static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    /** XEP-0060 publish-subscribe: PEP serves it; push publishes to app servers; vCard publishes avatars. */
    public static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    /** XEP-0199 ping: the ping module answers it, sessions and the server send it. */
    public static final String PING = "urn:xmpp:ping";
    /** XEP-0054 vcard-temp: the vCard module serves it; PEP writes avatars into it (XEP-0398). */
    public static final String VCARD = "vcard-temp";
    /** XEP-0084 user avatar nodes, converted both ways between PEP and vCard (XEP-0398). */
    public static final String AVATAR_DATA = "urn:xmpp:avatar:data";
    public static final String AVATAR_METADATA = "urn:xmpp:avatar:metadata";
    /** XEP-0359 stanza ids: MAM assigns them, push recognises a message by them. */
    public static final String STANZA_ID = "urn:xmpp:sid:0";
    /** XEP-0085 chat states: CSI holds messages of only these, offline storage drops them. */
    public static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";

    private Namespaces() {
    }
}
