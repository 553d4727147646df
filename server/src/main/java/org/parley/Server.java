package org.parley;

import org.parley.config.Config;

/** Placeholder: replaced by the real wiring. */
public final class Server implements AutoCloseable {
    public Server(Config config) {
    }

    public void start() {
    }

    @Override
    public void close() {
    }
}
