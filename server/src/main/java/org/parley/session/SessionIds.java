package org.parley.session;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * The id that ties an operator's log lines to one session: a short random string, set as the
 * {@value #MDC_KEY} MDC key around everything done for the session, on its executor and on its
 * connection's I/O thread. Not a secret and not unique forever: enough to grep one session's story.
 */
public final class SessionIds {
    /** The MDC key; the logback pattern prints it. */
    public static final String MDC_KEY = "sid";

    private static final long MIN = 1L << 35; // 32^7: every id has eight base-32 digits
    private static final long MAX = 1L << 40;

    private SessionIds() {
    }

    public static String next() {
        return Long.toString(ThreadLocalRandom.current().nextLong(MIN, MAX), 32);
    }

    /** Logs under {@code sid} on this thread; returns the id it replaces, to hand to {@link #exit}. */
    public static String enter(String sid) {
        String outer = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, sid);
        return outer;
    }

    /**
     * Puts back the id {@link #enter} replaced: scopes nest (a direct executor in a test runs a
     * session's tasks inside its connection handler's scope).
     */
    public static void exit(String outer) {
        if (outer == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, outer);
        }
    }
}
