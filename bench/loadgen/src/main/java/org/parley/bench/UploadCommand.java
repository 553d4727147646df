package org.parley.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * XEP-0363 HTTP File Upload: every client asks the server's upload service for a slot, then all
 * PUT their file at once (step "upload"), then all GET it back at once (step "download"). Each
 * step reports files per second (MB/s in the note), per-file transfer time as the latency, the
 * server's CPU, and the server's peak RSS sampled every 100 ms while the bytes move.
 */
@Command(name = "upload", description = "XEP-0363: N clients upload a file each, then download it")
final class UploadCommand extends Scenario {
    private static final String NS = "urn:xmpp:http:upload:0";
    private static final Pattern PUT = Pattern.compile("<put[^>]*\\surl=['\"]([^'\"]+)['\"]");
    private static final Pattern GET = Pattern.compile("<get[^>]*\\surl=['\"]([^'\"]+)['\"]");
    /** XEP-0363 §4: headers the client must send with the PUT (Prosody's bearer token). */
    private static final Pattern HEADER = Pattern.compile("<header[^>]*\\sname=['\"](Authorization|Cookie|Expires)['\"][^>]*>([^<]*)</header>");

    @Option(names = "--users", defaultValue = "50", description = "clients, one file each") int users;
    @Option(names = "--file-mb", defaultValue = "10", description = "file size in MB (10^6 bytes)") double fileMb;
    @Option(names = "--service", description = "the upload service's JID (default upload.<domain>)") String service;
    @Option(names = "--login-rate", defaultValue = "100") double loginRate;
    @Option(names = "--timeout", defaultValue = "120", description = "seconds per phase") double timeout;

    @Override
    String name() {
        return "upload";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        long size = (long) (fileMb * 1_000_000);
        String to = service != null ? service : "upload." + common.target().domain();
        Slots slots = new Slots();
        fleet.listen(slots);
        fleet.open(slice.users(1, users), XmppConnection.Mode.LOGIN, loginRate, (long) (timeout * 1e9));
        XmppConnection[] online = fleet.online().values().toArray(XmppConnection[]::new);
        check(online.length > 0, "no client came online: " + fleet.topFailure());
        slots.expect(online.length);
        for (XmppConnection c : online) {
            c.send("<iq type='get' id='slot' to='" + to + "'><request xmlns='" + NS + "' filename='f" + c.user()
                    + ".bin' size='" + size + "' content-type='application/octet-stream'/></iq>");
        }
        check(slots.all.await((long) timeout, TimeUnit.SECONDS), "slots missing: " + slots.all.getCount()
                + " (last error: " + slots.error + ")");

        byte[] file = new byte[(int) size];
        ThreadLocalRandom.current().nextBytes(file);
        List<StepResult> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                    .followRedirects(HttpClient.Redirect.ALWAYS).connectTimeout(Duration.ofSeconds(60)).build();
            out.add(phase("upload", server, pool, slots.put.values(), online.length, size, url -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Content-Type", "application/octet-stream");
                slots.headers.getOrDefault(url, Map.of()).forEach(b::header);
                HttpResponse<Void> r = http.send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() / 100 == 2 ? size : -r.statusCode();
            }));
            out.add(phase("download", server, pool, slots.get.values(), online.length, size, url -> {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    long n = in.transferTo(OutputStream.nullOutputStream());
                    return r.statusCode() == 200 ? n : -r.statusCode();
                }
            }));
        }
        return out;
    }

    interface Transfer {
        /** Bytes moved, or minus the HTTP status of a failure. */
        long run(URI url) throws Exception;
    }

    private StepResult phase(String step, ServerProbe server, ExecutorService pool, Iterable<URI> urls, int clients,
                             long size, Transfer transfer) throws Exception {
        Histogram times = StepResult.newHistogram();
        AtomicLong ok = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<URI> list = new ArrayList<>();
        urls.forEach(list::add);
        CountDownLatch done = new CountDownLatch(list.size());
        long rssBefore = server.rssKb();
        AtomicLong peak = new AtomicLong(rssBefore);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(server.rssKb(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        double cpu = server.cpuSeconds();
        double genCpu = self.cpuSeconds();
        long t0 = clock.nowNanos();
        for (URI url : list) {
            pool.execute(() -> {
                long start = clock.nowNanos();
                try {
                    long n = transfer.run(url);
                    if (n == size) {
                        ok.incrementAndGet();
                        bytes.addAndGet(n);
                        times.recordValue(Math.min((clock.nowNanos() - start) / 1000, times.getHighestTrackableValue()));
                    } else {
                        failures.merge(n < 0 ? "HTTP " + (-n) : "short body " + n, 1, Integer::sum);
                    }
                } catch (Exception e) {
                    failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                } finally {
                    done.countDown();
                }
            });
        }
        boolean finished = done.await((long) timeout, TimeUnit.SECONDS);
        double secs = (clock.nowNanos() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        long rssAfter = server.rssKb();
        peak.accumulateAndGet(rssAfter, Math::max);
        double mbps = bytes.get() / 1e6 / secs;
        String note = String.format("%.1f MB/s; server RSS %d MB before, peak %d MB, %d MB after%s%s", mbps,
                rssBefore / 1024, peak.get() / 1024, rssAfter / 1024, failures.isEmpty() ? "" : "; failed: " + failures,
                finished ? "" : "; timed out");
        System.out.println("UPLOAD " + step + " files=" + ok.get() + "/" + list.size() + " seconds=" + String.format("%.2f", secs)
                + " " + note);
        return new StepResult(name(), step, clients, fileMb, secs, list.size(), ok.get(), bytes.get() / 1_000_000,
                clients, list.size() - (int) ok.get(), ServerProbe.percent(cpu, server.cpuSeconds(), secs),
                genCpu(genCpu, secs), peak.get(), -1, note, times);
    }

    /** Collects each client's slot from the service's answers. */
    private static final class Slots implements XmppConnection.Listener {
        final Map<Integer, URI> put = new ConcurrentHashMap<>();
        final Map<Integer, URI> get = new ConcurrentHashMap<>();
        final Map<URI, Map<String, String>> headers = new ConcurrentHashMap<>();
        volatile CountDownLatch all = new CountDownLatch(0);
        volatile String error = "none";

        void expect(int n) {
            all = new CountDownLatch(n);
        }

        @Override
        public void online(XmppConnection c) {
        }

        @Override
        public void failed(XmppConnection c, String reason) {
        }

        @Override
        public void message(XmppConnection c, String stanza) {
        }

        @Override
        public void iq(XmppConnection c, String stanza) {
            Matcher p = PUT.matcher(stanza);
            Matcher g = GET.matcher(stanza);
            if (p.find() && g.find()) {
                URI putUrl = URI.create(unescape(p.group(1)));
                put.put(c.user(), putUrl);
                Map<String, String> h = new java.util.HashMap<>();
                for (Matcher m = HEADER.matcher(stanza); m.find(); ) {
                    h.put(m.group(1), unescape(m.group(2)));
                }
                headers.put(putUrl, h);
                get.put(c.user(), URI.create(unescape(g.group(1))));
                all.countDown();
            } else if (stanza.contains("type='error'") || stanza.contains("type=\"error\"")) {
                error = stanza;
            }
        }

        private static String unescape(String attr) {
            return attr.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", "\"");
        }
    }
}
