package org.parley.feature.extdisco;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The {@code <service/>} element of XEP-0215 §2: a STUN or TURN server, and the credentials for it
 * when it needs some.
 *
 * @param type      {@code stun}, {@code stuns}, {@code turn} or {@code turns}
 * @param port      0 when not given
 * @param transport {@code udp}, {@code tcp} or null
 * @param username  null when the service needs no credentials or they are not included
 * @param expires   when the credentials stop working; null without them
 */
public record ExternalService(String type, String host, int port, String transport, boolean restricted,
                              String username, String password, Instant expires) {
    public static final String NAMESPACE = "urn:xmpp:extdisco:2";
    public static final String ELEMENT = "service";
    static final Set<String> TYPES = Set.of("stun", "stuns", "turn", "turns");

    /**
     * A service from its RFC 7064 / RFC 7065 URI: {@code stun:host[:port]}, {@code stuns:…},
     * {@code turn:host[:port][?transport=udp|tcp]}, {@code turns:…}; an IPv6 host in brackets.
     *
     * @throws IllegalArgumentException when {@code uri} is not one
     */
    public static ExternalService parse(String uri) {
        int colon = uri.indexOf(':');
        String type = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("not a stun:, stuns:, turn: or turns: URI: " + uri);
        }
        String rest = uri.substring(colon + 1);
        String transport = null;
        int query = rest.indexOf('?');
        if (query >= 0) {
            String q = rest.substring(query + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, query);
            if (!type.startsWith("turn") || !(q.equals("transport=udp") || q.equals("transport=tcp"))) {
                throw new IllegalArgumentException("only a turn: URI takes ?transport=udp or tcp: " + uri);
            }
            transport = q.substring("transport=".length());
        }
        String host;
        String port = null;
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("unclosed IPv6 address: " + uri);
            }
            host = rest.substring(1, end);
            if (rest.length() > end + 1) {
                if (rest.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("not host:port: " + uri);
                }
                port = rest.substring(end + 2);
            }
        } else {
            int p = rest.lastIndexOf(':');
            host = p < 0 ? rest : rest.substring(0, p);
            port = p < 0 ? null : rest.substring(p + 1);
        }
        if (host.isEmpty() || host.contains("/") || host.contains("@")) {
            throw new IllegalArgumentException("no host: " + uri);
        }
        int number = 0;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65_535) {
                throw new IllegalArgumentException("not a port: " + uri);
            }
        }
        if (transport == null && type.equals("turns")) {
            transport = "tcp"; // RFC 7065 §3: TLS runs over TCP
        }
        return new ExternalService(type, host, number, transport, false, null, null, null);
    }

    /** Whether this is a TURN server, the kind that takes credentials. */
    boolean isTurn() {
        return type.startsWith("turn");
    }

    /** This service with {@code credentials}, restricted (§2: credentials are required). */
    ExternalService with(TurnCredentials.Issued credentials) {
        return new ExternalService(type, host, port, transport, true, credentials.username(), credentials.password(),
                credentials.expires());
    }

    /** What a request names (§3.3: host and type, optionally port); {@code bad-request} without host or type. */
    static ExternalService from(Element e) {
        if (!e.is(ELEMENT, NAMESPACE) || e.attr("host") == null || e.attr("type") == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a service is named by its host and type");
        }
        int port = 0;
        if (e.attr("port") != null) {
            try {
                port = Integer.parseInt(e.attr("port"));
            } catch (NumberFormatException ex) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "port must be a number");
            }
        }
        return new ExternalService(e.attr("type"), e.attr("host"), port, e.attr("transport"), false, null, null, null);
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, NAMESPACE).attr("type", type).attr("host", host);
        if (port > 0) {
            b.attr("port", Integer.toString(port));
        }
        if (transport != null) {
            b.attr("transport", transport);
        }
        if (restricted) {
            b.attr("restricted", "1");
        }
        if (username != null) {
            b.attr("username", username).attr("password", password)
                    .attr("expires", DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.SECONDS)));
        }
        return b.build();
    }
}
