package org.parley.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code bosh.*}: XMPP over BOSH (XEP-0124, XEP-0206) at {@code /http-bind} on the HTTP listener.
 * A request body is bounded by {@code http.maxBodyBytes} and each stanza in it by
 * {@code limits.maxStanzaBytes}, as over TCP.
 */
public record BoshSettings(SectionValues values) {

    static final Option<Boolean> ENABLED = Option.bool("enabled", true,
            "serve XMPP over BOSH (XEP-0206) at /http-bind on the HTTP ports");
    static final Option<Duration> MAX_WAIT = Option.duration("maxWait", Duration.ofSeconds(60), Duration.ofSeconds(1),
            Duration.ofMinutes(5), "the longest a request is held waiting for something to send (a client asking"
                    + " for more gets this)");
    static final Option<Integer> MAX_HOLD = Option.integer("maxHold", 1, 0, 5,
            "requests the server holds at once per session (a client asking for more gets this); a client may have"
                    + " one more outstanding");
    static final Option<Duration> INACTIVITY = Option.duration("inactivity", Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofMinutes(10), "a session with no request outstanding this long is over"
                    + " (as a lost TCP connection: with stream management it waits for resumption)");
    static final Option<Duration> POLLING = Option.duration("polling", Duration.ofSeconds(2), Duration.ZERO,
            Duration.ofMinutes(1), "the shortest interval between a client's empty requests (XEP-0124 'polling'):"
                    + " one sooner while it already has an empty request waiting, or in a polling session (hold 0)"
                    + " after an empty answer, ends the session with policy-violation; 0: not announced, not checked");
    static final Option<Duration> MAX_PAUSE = Option.duration("maxPause", Duration.ofMinutes(2), Duration.ZERO,
            Duration.ofMinutes(10), "the longest inactivity a client may ask for with 'pause' (XEP-0124 'maxpause',"
                    + " §10), e.g. while a web page reloads; asking for more ends the session with policy-violation;"
                    + " 0: pausing not offered");
    static final Option<String> ALLOWED_ORIGINS = Option.text("allowedOrigins", "*",
                    "comma-separated origins (scheme://host[:port]) browsers may use BOSH from, * for any;"
                            + " a request without Origin (not a browser) is always accepted")
            .check(Origins::valid, Origins.MUST);

    public static final Section SECTION = Section.of("bosh", ENABLED, MAX_WAIT, MAX_HOLD, INACTIVITY, POLLING, MAX_PAUSE,
            ALLOWED_ORIGINS);

    public boolean enabled() {
        return values.get(ENABLED);
    }

    public Duration maxWait() {
        return values.get(MAX_WAIT);
    }

    public int maxHold() {
        return values.get(MAX_HOLD);
    }

    public Duration inactivity() {
        return values.get(INACTIVITY);
    }

    public Duration polling() {
        return values.get(POLLING);
    }

    public Duration maxPause() {
        return values.get(MAX_PAUSE);
    }

    /** The allowed origins, lower case without a trailing slash; empty for any. */
    public List<String> allowedOrigins() {
        return Origins.parse(values.get(ALLOWED_ORIGINS));
    }

    /** Whether a browser at {@code origin} may use BOSH. */
    public boolean allows(String origin) {
        return Origins.allows(allowedOrigins(), origin);
    }
}
