package org.parley.component;

import java.util.Map;
import java.util.concurrent.Executor;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.xmpp.Jid;

/**
 * What every component connection of one server shares.
 *
 * @param secrets  component domain to shared secret ({@code components.services})
 * @param executor runs each connection's work off the event loop, in order (the directory and the
 *                 router may wait on Redis or the database)
 */
record ComponentServices(Jid serverJid, Map<String, String> secrets, Directory directory, Router router,
                         Executor executor) {

    /** The resource under which a connected component is bound in the directory. */
    static final String RESOURCE = "component";

    /** The directory address of the component serving {@code domain}. */
    static Jid address(String domain) {
        return Jid.of(null, domain, RESOURCE);
    }
}
