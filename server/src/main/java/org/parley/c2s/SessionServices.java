package org.parley.c2s;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.auth.AuthThrottle;
import org.parley.auth.SaslMechanisms;
import org.parley.config.Config;
import org.parley.module.Features;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.xmpp.Jid;

/**
 * What every client session of one server shares. Built once by the {@code Server}; a second
 * server in the same JVM has its own.
 *
 * @param executor runs session work off the network event loop (virtual threads)
 * @param streams  every client session from its connection until it ends (negotiating, bound or
 *                 detached), so shutdown can end each one
 * @param addresses unauthenticated connections per client address
 * @param throttle  failed authentications per address and account
 * @param inbound   client input parsed and not yet processed, server-wide ({@code c2s.maxQueuedBytes})
 * @param admission logins' turns at the database ({@code auth.concurrentLogins}, {@code auth.maxWaitingLogins})
 */
public record SessionServices(Config config, Jid serverJid, Router router, Directory directory,
                              Handlers handlers, Features features, SaslMechanisms sasl,
                              Executor executor, ScheduledExecutorService scheduler, Set<Session> streams,
                              ClientAddresses addresses, AuthThrottle throttle,
                              InboundBudget inbound, LoginAdmission admission) {
}
