package org.parley.bench;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Option;

/** Options every scenario shares: where the server is, how to reach it, where results go. */
final class CommonOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", defaultValue = "${env:BENCH_PORT:-5522}", description = "default: $BENCH_PORT, else 5522")
    int port;
    @Option(names = "--ports", split = ",", description = "several server ports (cluster nodes): user i connects to"
            + " ports[i % n]; overrides --port") List<Integer> ports;
    @Option(names = "--domain", defaultValue = "bench.local") String domain;
    @Option(names = "--password", defaultValue = "bench-secret") String password;
    @Option(names = "--mech", defaultValue = "auto", description = "auto (PLAIN if offered, else SCRAM-SHA-1), PLAIN, SCRAM-SHA-1")
    String mechanism;
    @Option(names = "--starttls", description = "negotiate STARTTLS (trusting any certificate)") boolean startTls;
    @Option(names = "--sources", defaultValue = "8", description = "loopback source addresses 127.0.0.2 ... used round-robin")
    int sources;
    @Option(names = "--threads", defaultValue = "2", description = "Netty event loop threads") int threads;
    @Option(names = "--busy-poll", defaultValue = "${env:GEN_BUSY_POLL:-false}", description = "one event loop that polls"
            + " epoll without sleeping, so no server write over loopback has to wake a generator thread (default:"
            + " $GEN_BUSY_POLL, else false; see Fleet)") boolean busyPoll;
    @Option(names = "--slice", defaultValue = "0/1", description = "i/P: this process's share of the users") String slice;
    @Option(names = "--sync-dir", description = "shared directory for barriers between generator processes") Path syncDir;
    @Option(names = "--partial", description = "write this process's raw results here for `merge` instead of reporting")
    Path partial;
    @Option(names = "--server-pid", defaultValue = "0", split = ",",
            description = "server OS pid(s) to sample (RSS, CPU, JVM heap); several (cluster nodes) are summed")
    long[] serverPids;
    @Option(names = "--watch", description = "name=pid: a process whose CPU per step goes into the note (e.g. each"
            + " cluster node, redis)") Map<String, Long> watch = new LinkedHashMap<>();
    @Option(names = "--server-name", defaultValue = "server") String serverName;
    @Option(names = "--run-id", defaultValue = "adhoc") String runId;
    @Option(names = "--results", defaultValue = "bench/results", description = "directory for results.csv / results.md")
    Path results;

    @Option(names = "--scram-cache", description = "file of salted passwords kept across runs (as clients keep them)")
    Path scramCache;

    private Target target;

    /** One target per run, so every connection shares the SCRAM cache. */
    Target target() throws SSLException {
        if (target == null) {
            target = newTarget();
        }
        return target;
    }

    private Target newTarget() throws SSLException {
        SslContext ssl = startTls
                ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build()
                : null;
        return new Target(host, port, domain, startTls, mechanism, password, ssl, new ScramCache(scramCache, parsedSlice()));
    }

    Ports ports() {
        return ports == null || ports.isEmpty() ? Ports.single(port) : new Ports(ports);
    }

    List<String> sourceAddresses() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < Math.max(1, sources); i++) {
            list.add("127.0.0." + (2 + i));
        }
        return list;
    }

    Slice parsedSlice() {
        return Slice.parse(slice, syncDir);
    }
}
