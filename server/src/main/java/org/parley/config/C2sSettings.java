package org.parley.config;

import java.time.Duration;

/** {@code c2s.*}: the client listeners and what each client connection may hold. */
public record C2sSettings(SectionValues values) {

    static final Option<String> BIND_ADDRESS = Option.text("bindAddress", "0.0.0.0", "listening address");
    static final Option<Integer> PORT = Option.port("port", 5222, false, "STARTTLS port");
    static final Option<Integer> DIRECT_TLS_PORT = Option.port("directTlsPort", 5223, true,
            "direct TLS port, XEP-0368");
    static final Option<Boolean> ALLOW_PLAINTEXT = Option.bool("allowPlaintext", false,
            "allow clients without TLS (loopback benchmarks only)");
    static final Option<Duration> KEEPALIVE_INTERVAL = Option.duration("keepaliveInterval", Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofDays(1), "whitespace keepalive after this much outbound silence");
    static final Option<Duration> SEND_TIMEOUT = Option.duration("sendTimeout", Duration.ofSeconds(60),
            Duration.ofMillis(100), Duration.ofDays(1), "a connection that cannot be written to this long is closed");
    // RFC 6120 §4.4: after its closing tag the server waits "a reasonable amount of time" for the client's.
    static final Option<Duration> CLOSE_TIMEOUT = Option.duration("closeTimeout", Duration.ofSeconds(5),
            Duration.ofMillis(100), Duration.ofMinutes(1),
            "once the server ended a stream, how long it reads and drops input awaiting the client's close");
    static final Option<Integer> MAX_QUEUED_STANZAS = Option.integer("maxQueuedStanzas", 256, 16, 1_000_000,
            "a client's stanzas queued unprocessed before the server stops reading");
    // Server-wide: the per-client bound above multiplies by the number of clients (1,000 x 256 parsed
    // stanzas while a slow store holds them). 8 MiB is seconds of chat at the rates one core processes.
    static final Option<Integer> MAX_QUEUED_BYTES = Option.integer("maxQueuedBytes", 8_388_608, 65_536,
            Integer.MAX_VALUE, "all clients' input parsed and not yet processed (wire bytes plus 256 per stanza) "
                    + "past which the server stops reading from clients that have input waiting");

    static final Option<Duration> TLS_HANDSHAKE_TIMEOUT = Option.duration("tlsHandshakeTimeout", Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofHours(1),
            "a TLS handshake (direct or STARTTLS) not finished this long after it began ends the connection");
    static final Option<Integer> MAX_PENDING_OUTPUT_BYTES = Option.integer("maxPendingOutputBytes", 4_194_304,
            65_536, Integer.MAX_VALUE, "bytes waiting to be written to one client past which it is dropped");
    // From the connection on: longer than c2s.tlsHandshakeTimeout, so a person who answered a certificate
    // prompt near the end of that still has time to log in.
    static final Option<Duration> AUTH_TIMEOUT = Option.duration("authTimeout", Duration.ofMinutes(2),
            Duration.ofSeconds(1), Duration.ofHours(1),
            "a connection not authenticated and bound this long after it opened is closed");
    static final Option<Integer> MAX_UNAUTHENTICATED_PER_ADDRESS = Option.integer("maxUnauthenticatedPerAddress", 20,
            1, 1_000_000, "connections from one address (IPv6: its /64) not yet authenticated");
    // ejabberd's default (max_user_sessions); RFC 6120 §7.6.2.1 names the error.
    static final Option<Integer> MAX_SESSIONS_PER_ACCOUNT = Option.integer("maxSessionsPerAccount", 10, 1, 100_000,
            "resources one account may have bound at once");
    static final Option<Integer> MAX_INBOUND_BYTES_PER_SECOND = Option.integer("maxInboundBytesPerSecond", 131_072,
            1024, Integer.MAX_VALUE, "bytes one client may send per second on average; past it reading pauses");
    static final Option<Integer> INBOUND_BYTE_BURST = Option.integer("inboundByteBurst", 1_048_576, 1024,
            Integer.MAX_VALUE, "bytes a client may send at once above the rate");
    static final Option<Integer> MAX_INBOUND_STANZAS_PER_SECOND = Option.integer("maxInboundStanzasPerSecond", 50, 1,
            Integer.MAX_VALUE, "stanzas one client may send per second on average; past it reading pauses");
    static final Option<Integer> INBOUND_STANZA_BURST = Option.integer("inboundStanzaBurst", 200, 1, Integer.MAX_VALUE,
            "stanzas a client may send at once above the rate");
    static final Option<Duration> SHAPING_GRACE = Option.duration("shapingGrace", Duration.ofSeconds(60),
            Duration.ofSeconds(1), Duration.ofDays(1),
            "a client held back by the rates without a break this long gets `policy-violation`");

    // Long enough for thousands of sessions' end work on a loaded machine; below systemd's 90 s stop timeout.
    static final Option<Duration> STOP_TIMEOUT = Option.duration("stopTimeout", Duration.ofSeconds(30),
            Duration.ofSeconds(1), Duration.ofMinutes(10),
            "at a stop, how long the server waits for its sessions to end before it closes the stores");

    public static final Section SECTION = Section.of("c2s", BIND_ADDRESS, PORT, DIRECT_TLS_PORT, ALLOW_PLAINTEXT,
            KEEPALIVE_INTERVAL, SEND_TIMEOUT, CLOSE_TIMEOUT, STOP_TIMEOUT, MAX_QUEUED_STANZAS, MAX_QUEUED_BYTES, TLS_HANDSHAKE_TIMEOUT, MAX_PENDING_OUTPUT_BYTES,
            AUTH_TIMEOUT, MAX_UNAUTHENTICATED_PER_ADDRESS, MAX_SESSIONS_PER_ACCOUNT, MAX_INBOUND_BYTES_PER_SECOND,
            INBOUND_BYTE_BURST, MAX_INBOUND_STANZAS_PER_SECOND, INBOUND_STANZA_BURST, SHAPING_GRACE);

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    /** The STARTTLS port; 0 asks for any free port. */
    public int port() {
        return values.get(PORT);
    }

    /** The direct TLS port; -1 when off. */
    public int directTlsPort() {
        return values.get(DIRECT_TLS_PORT);
    }

    public boolean allowPlaintext() {
        return values.get(ALLOW_PLAINTEXT);
    }

    public Duration keepaliveInterval() {
        return values.get(KEEPALIVE_INTERVAL);
    }

    public Duration sendTimeout() {
        return values.get(SEND_TIMEOUT);
    }

    /**
     * After the server's closing tag (and a stream error before it), how long the connection stays
     * half-open while what the client still sends is read and dropped, so that the error is not lost
     * to a reset; the client closing ends it sooner.
     */
    public Duration closeTimeout() {
        return values.get(CLOSE_TIMEOUT);
    }

    /**
     * At a stop: how long the server waits for its sessions to end (their unavailable presence
     * routed, what they had not delivered stored offline) before it closes the stores under them.
     */
    public Duration stopTimeout() {
        return values.get(STOP_TIMEOUT);
    }

    public int maxQueuedStanzas() {
        return values.get(MAX_QUEUED_STANZAS);
    }

    /**
     * Estimated bytes of input (all clients) parsed and waiting to be processed past which clients
     * with input waiting are not read from ({@link org.parley.c2s.InboundBudget}).
     */
    public int maxQueuedBytes() {
        return values.get(MAX_QUEUED_BYTES);
    }

    /**
     * How long a TLS handshake may take. Long by default: a client that shows the person an unknown
     * certificate (Profanity, Gajim) holds the handshake until they answer.
     */
    public Duration tlsHandshakeTimeout() {
        return values.get(TLS_HANDSHAKE_TIMEOUT);
    }

    /** Bytes queued for one client (encoded, not yet taken by its socket) past which it is dropped. */
    public int maxPendingOutputBytes() {
        return values.get(MAX_PENDING_OUTPUT_BYTES);
    }

    public Duration authTimeout() {
        return values.get(AUTH_TIMEOUT);
    }

    public int maxUnauthenticatedPerAddress() {
        return values.get(MAX_UNAUTHENTICATED_PER_ADDRESS);
    }

    public int maxSessionsPerAccount() {
        return values.get(MAX_SESSIONS_PER_ACCOUNT);
    }

    public int maxInboundBytesPerSecond() {
        return values.get(MAX_INBOUND_BYTES_PER_SECOND);
    }

    public int inboundByteBurst() {
        return values.get(INBOUND_BYTE_BURST);
    }

    public int maxInboundStanzasPerSecond() {
        return values.get(MAX_INBOUND_STANZAS_PER_SECOND);
    }

    public int inboundStanzaBurst() {
        return values.get(INBOUND_STANZA_BURST);
    }

    public Duration shapingGrace() {
        return values.get(SHAPING_GRACE);
    }
}
