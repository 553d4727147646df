package org.parley.c2s;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client connections that have not authenticated yet, counted per address, so that one address
 * cannot hold more than {@code c2s.maxUnauthenticatedPerAddress} of them (RFC 6120 gives servers
 * leave to refuse for local policy). An IPv6 client is counted by its /64, which one host usually
 * has whole. An address with no such connection has no entry: the table is as large as the
 * number of addresses with connections negotiating now. Thread-safe.
 */
public final class ClientAddresses {
    private final int max;
    private final ConcurrentHashMap<String, Integer> unauthenticated = new ConcurrentHashMap<>();

    public ClientAddresses(int maxUnauthenticatedPerAddress) {
        this.max = maxUnauthenticatedPerAddress;
    }

    /**
     * The key an address is judged by: the IP address, an IPv6 one cut to its /64; the text form
     * of anything else.
     */
    public static String key(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(address);
        }
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet6Address) {
            byte[] b = ip.getAddress();
            StringBuilder sb = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return sb.append(":/64").toString();
        }
        return ip.getHostAddress();
    }

    /** Counts one more unauthenticated connection from {@code key}; false (and not counted) past the cap. */
    boolean admit(String key) {
        boolean[] admitted = {false};
        unauthenticated.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            admitted[0] = true;
            return count + 1;
        });
        return admitted[0];
    }

    /** One connection admitted from {@code key} authenticated or ended. */
    void release(String key) {
        unauthenticated.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
