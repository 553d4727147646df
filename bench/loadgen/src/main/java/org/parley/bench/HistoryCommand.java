package org.parley.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * History paging (XEP-0313 MAM) against a filled archive: online users ask for pages of their
 * history at stepped offered rates; the latency is from sending the query to its IQ result (all
 * result messages arrive before it). Half the queries ask for the newest page of the whole
 * archive, half for the newest page of the conversation with one random peer, the two queries
 * a client makes when it opens, and when it opens a chat. With {@code --deep-days}, every query
 * pages back from a random point in time instead (scrolling far up), which reads cold rows.
 */
@Command(name = "history", description = "MAM history page latency at stepped query rates")
final class HistoryCommand extends Scenario {
    @Option(names = "--users", defaultValue = "1000") int users;
    @Option(names = "--rates", defaultValue = "100,250,500,1000,2000", split = ",") double[] rates;
    @Option(names = "--step-seconds", defaultValue = "15") double stepSeconds;
    @Option(names = "--drain", defaultValue = "3") double drain;
    @Option(names = "--warmup", defaultValue = "5", description = "unrecorded seconds at the first rate") double warmup;
    @Option(names = "--page", defaultValue = "50", description = "RSM max per query") int page;
    @Option(names = "--login-rate", defaultValue = "500") double loginRate;
    @Option(names = "--p99-limit-ms", defaultValue = "1000") double p99LimitMs;
    @Option(names = "--deep-days", defaultValue = "0", description = "page back from a random instant of the "
            + "last N days (the form's 'end') instead of from the newest message; 0: newest pages") double deepDays;

    @Override
    String name() {
        return "history";
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        Target target = common.target();
        Pages pages = new Pages(rates.length + 1);
        fleet.listen(pages);
        int[] mine = slice.users(1, users);
        fleet.open(mine, XmppConnection.Mode.LOGIN, loginRate / slice.count(), 120_000_000_000L);
        slice.await("online", 180_000);
        sleepSeconds(2);
        XmppConnection[] online = fleet.online().values().toArray(XmppConnection[]::new);
        check(online.length > 0, "no user came online: " + fleet.topFailure());
        if (warmup > 0) {
            query(target, online, rates[0] / slice.count(), warmup, 0);
            sleepSeconds(drain);
        }
        List<StepResult> out = new ArrayList<>();
        for (int k = 0; k < rates.length; k++) {
            slice.await("step-" + k, 120_000);
            double rate = rates[k] / slice.count();
            double cpu = server.cpuSeconds();
            double genCpu = self.cpuSeconds();
            long t0 = clock.nowNanos();
            long sent = query(target, online, rate, stepSeconds, k + 1);
            double secs = (clock.nowNanos() - t0) / 1e9;
            double serverCpu = ServerProbe.percent(cpu, server.cpuSeconds(), secs);
            double gen = genCpu(genCpu, secs);
            sleepSeconds(drain);
            Histogram h = pages.latency[k + 1].copy();
            long answered = pages.answered.get(k + 1);
            String note = pages.errors.get(k + 1) + " errors, " + pages.results.get() + " result messages so far";
            out.add(new StepResult(name(), Report.f(rates[k]) + "/s", users, rates[k], secs, sent, answered, answered,
                    fleet.online().size(), fleet.failures(), serverCpu, gen, server.rssKb(), -1, note, h));
            double p99 = h.getTotalCount() == 0 ? Double.MAX_VALUE : h.getValueAtPercentile(99) / 1000.0;
            boolean saturated = answered < 0.9 * sent || p99 > p99LimitMs;
            if (saturated) {
                slice.raise("saturated");
            }
            slice.await("step-end-" + k, 120_000);
            if (slice.raised("saturated") || (slice.count() == 1 && saturated)) {
                break;
            }
        }
        return out;
    }

    private long query(Target target, XmppConnection[] online, double rate, double seconds, int step) {
        long deadline = clock.nowNanos() + (long) (seconds * 1e9);
        return new Pacer(clock).run(rate, Long.MAX_VALUE, deadline, i -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            XmppConnection from = online[random.nextInt(online.length)];
            StringBuilder fields = new StringBuilder();
            if ((i & 1) == 1) {
                int peer = 1 + random.nextInt(users);
                fields.append("<field var='with'><value>").append(target.jid(peer)).append("</value></field>");
            }
            if (deepDays > 0) {
                long at = System.currentTimeMillis() - (long) (random.nextDouble() * deepDays * 86_400_000L);
                fields.append("<field var='end'><value>").append(Instant.ofEpochMilli(at)).append("</value></field>");
            }
            String form = fields.isEmpty() ? "" : "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
                    + "type='hidden'><value>urn:xmpp:mam:2</value></field>" + fields + "</x>";
            from.send("<iq type='set' id='h" + step + "-" + clock.nowNanos() + "'><query xmlns='urn:xmpp:mam:2' queryid='q"
                    + i + "'>" + form + "<set xmlns='http://jabber.org/protocol/rsm'><max>" + page
                    + "</max><before/></set></query></iq>");
            return true;
        });
    }

    /** Latency per step from the query's id ("h&lt;step&gt;-&lt;sent nanos&gt;") to its IQ answer. */
    private final class Pages implements XmppConnection.Listener {
        final Histogram[] latency;
        final AtomicLongArray answered;
        final AtomicLongArray errors;
        final AtomicLong results = new AtomicLong();

        Pages(int steps) {
            latency = new Histogram[steps];
            for (int i = 0; i < steps; i++) {
                latency[i] = new ConcurrentHistogram(3_600_000_000L, 3);
            }
            answered = new AtomicLongArray(steps);
            errors = new AtomicLongArray(steps);
        }

        @Override
        public void iq(XmppConnection c, String stanza) {
            long now = clock.nowNanos();
            int at = stanza.indexOf("id='h");
            if (at < 0) {
                at = stanza.indexOf("id=\"h");
            }
            if (at < 0) {
                return;
            }
            int i = at + 5;
            int step = 0;
            while (Character.isDigit(stanza.charAt(i))) {
                step = step * 10 + (stanza.charAt(i++) - '0');
            }
            long sentAt = 0;
            i++;
            while (Character.isDigit(stanza.charAt(i))) {
                sentAt = sentAt * 10 + (stanza.charAt(i++) - '0');
            }
            if (step >= latency.length) {
                return;
            }
            if (stanza.contains("type='error'") || stanza.contains("type=\"error\"")) {
                errors.incrementAndGet(step);
                return;
            }
            latency[step].recordValue(Math.max(0, (now - sentAt) / 1000));
            answered.incrementAndGet(step);
        }

        @Override
        public void message(XmppConnection c, String stanza) {
            results.incrementAndGet();
        }

        @Override
        public void online(XmppConnection c) {
        }

        @Override
        public void failed(XmppConnection c, String reason) {
        }
    }
}
