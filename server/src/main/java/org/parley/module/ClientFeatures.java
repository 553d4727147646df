package org.parley.module;

import java.util.Set;
import org.parley.session.Session;

/**
 * What each client session can do, as its presence announces it (entity capabilities): the seam
 * through which a feature that sends optional payloads learns who wants them, without naming the
 * feature that finds it out. The {@code Server} hands the one implementation to the modules that
 * need it.
 */
public interface ClientFeatures {

    /** The verified features the session's current presence announces; empty when unknown. */
    Set<String> features(Session session);

    /** Registers a listener; modules do this while the server starts. */
    void onFeatures(Listener listener);

    /** Hears the features of a local session when they become known or change. */
    @FunctionalInterface
    interface Listener {
        void featuresKnown(Session session, Set<String> features);
    }
}
