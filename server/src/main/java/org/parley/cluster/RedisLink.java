package org.parley.cluster;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two Redis connections (commands, and pub/sub which needs its own) and its view of
 * whether Redis is usable. An outage is logged once at WARN with its cause, not per stanza; the
 * node counts Redis as usable again only after {@link NodeLiveness} has republished its state.
 *
 * <p>Commands fail fast while disconnected instead of queueing, so a session thread waits at
 * most the command timeout; Lettuce's sync API is thread-safe on the shared connection.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    static final Duration RECONNECT_CAP = Duration.ofMillis(500);

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final Map<String, Consumer<String>> subscriptions = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile boolean up;
    /** Set by the first failure of an outage: the command and pub/sub connections both report it, on two threads. */
    private final java.util.concurrent.atomic.AtomicBoolean outageLogged = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closing;
    private final java.util.List<Runnable> onDisconnect = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> onUp = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Counter outages;

    RedisLink(String url, Duration timeout, MeterRegistry meters) {
        this.outages = Counter.builder("parley.cluster.redis.outages")
                .description("times this node lost Redis (it then serves local sessions only)").register(meters);
        Gauge.builder("parley.cluster.redis.up", this, l -> l.up ? 1 : 0)
                .description("1 while this node uses Redis for the directory and bus, 0 during an outage")
                .register(meters);
        this.uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        // Reconnect attempts back off to at most RECONNECT_CAP (Lettuce's default grows to 30 s), so
        // a node sees Redis again within about that long after it returns.
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), RECONNECT_CAP, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                // Only this node's two connections: with a Sentinel URL every (re)connection first
                // opens and closes a connection to a Sentinel to look the primary up, and counting
                // that as an outage made the node republish everything and route cross-node
                // stanzas to offline storage at every start and every reconnection attempt.
                if (!closing && (connection == commands || connection == pubsub)) {
                    failed(new RedisException("connection to " + redacted() + " lost"));
                    onDisconnect.forEach(Runnable::run);
                }
            }
        });
    }

    /** Registers a channel handler; call before {@link #connect()}. Handlers run on Lettuce's threads: no blocking. */
    void subscribe(String channel, Consumer<String> handler) {
        subscriptions.put(channel, handler);
    }

    /** Adds what runs when Redis becomes usable again, e.g. dropping what was cached while it was not. */
    void onUp(Runnable r) {
        onUp.add(r);
    }

    /** Adds what runs when a connection drops, e.g. dropping caches that missed invalidations. */
    void onDisconnect(Runnable r) {
        onDisconnect.add(r);
    }

    /**
     * Opens the connections if they are not open yet; Lettuce reconnects them by itself after.
     * Returns false (and records the outage) when Redis cannot be reached.
     */
    synchronized boolean connect() {
        if (commands != null) {
            return true;
        }
        StatefulRedisConnection<String, String> c = null;
        try {
            c = client.connect();
            StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
            p.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    Consumer<String> handler = subscriptions.get(channel);
                    if (handler != null) {
                        try {
                            handler.accept(message);
                        } catch (RuntimeException e) {
                            log.error("cluster: handling a message on {} failed", channel, e);
                        }
                    }
                }
            });
            p.sync().subscribe(subscriptions.keySet().toArray(String[]::new));
            pubsub = p;
            commands = c;
            return true;
        } catch (RedisException e) {
            if (c != null) {
                c.closeAsync();
            }
            failed(e);
            return false;
        }
    }

    /**
     * Subscribes the pub/sub connection to every channel again and waits until Redis confirmed.
     * Lettuce resubscribes by itself after a reconnection, but the command connection may be back
     * first (each reconnects on its own backoff): a node that counted Redis as up then missed what
     * was published meanwhile, another node's {@code restored} (messages it had stored offline for
     * this node's users, who stayed online, then waited for their next login) or a user's changed
     * entries (the stale copy cached, stanzas for that user sent to offline storage). Throws
     * {@link RedisException} while the pub/sub connection is not back.
     */
    void resubscribe() {
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        if (p == null) {
            throw new RedisException("not connected to " + redacted());
        }
        p.sync().subscribe(subscriptions.keySet().toArray(String[]::new));
    }

    /** The shared sync API; throws {@link RedisException} when there is no connection. */
    RedisCommands<String, String> sync() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            throw new RedisException("not connected to " + redacted());
        }
        return c.sync();
    }

    RedisAsyncCommands<String, String> async() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            throw new RedisException("not connected to " + redacted());
        }
        return c.async();
    }

    /** Whether the directory may use Redis (false from a failure until state is republished). */
    boolean isUp() {
        return up;
    }

    /** Records a failure: Redis counts as down until the next successful liveness round. */
    void failed(Throwable cause) {
        up = false;
        if (!closing && outageLogged.compareAndSet(false, true)) {
            outages.increment();
            log.warn("cluster: Redis at {} unreachable ({}); serving local sessions only, stanzas for other nodes "
                    + "go to offline storage until it returns", redacted(), cause.toString());
        }
    }

    /** Marks Redis usable again; true when this ends an outage (or is the first success). */
    boolean markUp() {
        boolean was = up;
        up = true;
        if (outageLogged.compareAndSet(true, false)) {
            log.info("cluster: Redis at {} reachable again; local sessions republished", redacted());
        }
        if (!was) {
            onUp.forEach(Runnable::run);
        }
        return !was;
    }

    /** Stops receiving: senders then see no subscriber on this node's channel and fall back. */
    void unsubscribeAll() {
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        if (p != null) {
            try {
                p.sync().unsubscribe(subscriptions.keySet().toArray(String[]::new));
            } catch (RedisException e) {
                log.debug("cluster: unsubscribe failed", e);
            }
        }
    }

    /** Where Redis is, without credentials: host and port, or the sentinels and the master's name. */
    private String redacted() {
        if (uri.getSentinels().isEmpty()) {
            return uri.getHost() + ":" + uri.getPort();
        }
        StringBuilder sb = new StringBuilder("sentinels ");
        for (RedisURI s : uri.getSentinels()) {
            sb.append(s.getHost()).append(':').append(s.getPort()).append(' ');
        }
        return sb.append("master ").append(uri.getSentinelMasterId()).toString();
    }

    @Override
    public void close() {
        closing = true;
        up = false;
        if (pubsub != null) {
            pubsub.close();
        }
        if (commands != null) {
            commands.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
