package org.parley.bench;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Which server port each user connects to, so one run can spread its users over the nodes of a
 * cluster: user {@code i} goes to {@code ports[i % n]}. With a single port every user shares it,
 * as before.
 */
record Ports(List<Integer> ports) {

    Ports {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one port");
        }
        ports = List.copyOf(ports);
    }

    static Ports single(int port) {
        return new Ports(List.of(port));
    }

    int count() {
        return ports.size();
    }

    int of(int user) {
        return ports.get(user % ports.size());
    }

    /**
     * A random recipient among users 1..users other than {@code from}; with {@code cross}, one
     * whose port differs from the sender's, so that every message crosses nodes. Needs at least
     * one such user, which any {@code users >= count()} guarantees.
     */
    int peer(int from, int users, boolean cross, RandomGenerator random) {
        if (!cross || ports.size() == 1) {
            int to = 1 + random.nextInt(users - 1);
            return to >= from ? to + 1 : to;
        }
        int mine = from % ports.size();
        while (true) {
            int to = 1 + random.nextInt(users);
            if (to % ports.size() != mine) {
                return to;
            }
        }
    }
}
