package org.parley.session;

import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.auth.SaslMechanisms;
import org.parley.config.Config;
import org.parley.module.Features;
import org.parley.route.Directory;
import org.parley.route.Handlers;
import org.parley.route.Router;
import org.parley.xmpp.Jid;

/**
 * What every client session of one server shares. Built once by the {@code Server}; a second
 * server in the same JVM has its own.
 *
 * @param sslContext for STARTTLS and direct TLS; null only when the server runs without TLS
 * @param executor   runs session work off the network event loop (virtual threads)
 */
public record SessionServices(Config config, Jid serverJid, Router router, Directory directory,
                              Handlers handlers, Features features, SaslMechanisms sasl,
                              SslContext sslContext, Executor executor, ScheduledExecutorService scheduler) {
}
