package org.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Group chat (XEP-0045): {@code --rooms} rooms of {@code --room-size} occupants each, every
 * occupant a user of its own. The first occupant of each room creates it (accepting the instant
 * configuration), the others join at {@code --join-rate}; then random occupants send groupchat
 * messages to their room at stepped offered rates (room messages per second, all rooms
 * together). Every copy the room delivers is one recipient's latency sample; delivered
 * stanzas/s counts every copy. The server's RSS is read after the logins and again after the
 * joins: the difference over the occupants is the memory per occupant.
 */
@Command(name = "group", description = "group chat rooms at stepped offered room message rates")
final class GroupCommand extends Scenario {
    @Option(names = "--rooms", defaultValue = "1") int rooms;
    @Option(names = "--room-size", defaultValue = "100") int roomSize;
    @Option(names = "--service", description = "the group chat service's domain (default conference.<domain>)")
    String service;
    @Option(names = "--rates", defaultValue = "10,50,100,200,400", split = ",") double[] rates;
    @Option(names = "--step-seconds", defaultValue = "10") double stepSeconds;
    @Option(names = "--drain", defaultValue = "3") double drain;
    @Option(names = "--warmup", defaultValue = "20", description = "unmeasured seconds before the steps, shared"
            + " out over the steps' rates in turn (see warmUp)") double warmup;
    @Option(names = "--body", defaultValue = "64") int body;
    @Option(names = "--login-rate", defaultValue = "500") double loginRate;
    @Option(names = "--join-rate", defaultValue = "200") double joinRate;
    @Option(names = "--p99-limit-ms", defaultValue = "1000") double p99LimitMs;
    @Option(names = "--room-config", split = ",", description = "var=value fields of muc#roomconfig the creator submits"
            + " instead of the empty instant form (e.g. muc#roomconfig_presencebroadcast=moderator)")
    List<String> roomConfig = List.of();
    @Option(names = "--join-seconds", defaultValue = "300", description = "how long to wait for every occupant's join")
    double joinSeconds;

    private final AtomicInteger joined = new AtomicInteger();

    @Override
    String name() {
        return "group";
    }

    private String roomDomain;

    private String room(int user) {
        return "bench" + ((user - 1) / roomSize) + "@" + roomDomain;
    }

    private String shape() {
        return rooms + "x" + roomSize;
    }

    @Override
    List<StepResult> run(Fleet fleet, Slice slice, ServerProbe server) throws Exception {
        int users = rooms * roomSize;
        roomDomain = service != null ? service : "conference." + common.target().domain();
        CopySpread spread = new CopySpread(rates.length + 1);
        ChatTraffic traffic = new ChatTraffic(clock, common.target(), rates.length + 1, body, spread);
        CpuWatch watch = new CpuWatch(slice.first() ? common.watch : java.util.Map.of());
        fleet.listen(new XmppConnection.Listener() {
            @Override
            public void online(XmppConnection c) {
            }

            @Override
            public void failed(XmppConnection c, String reason) {
            }

            @Override
            public void message(XmppConnection c, String stanza) {
                traffic.message(c, stanza);
            }

            @Override
            public void presence(XmppConnection c, String stanza) {
                // the joining occupant's own presence (status 110) says it is in
                if ((stanza.contains("code='110'") || stanza.contains("code=\"110\"")) && !stanza.contains("unavailable")) {
                    joined.incrementAndGet();
                }
            }
        });
        int[] mine = slice.users(1, users);
        fleet.open(mine, XmppConnection.Mode.LOGIN, loginRate / slice.count(), 300_000_000_000L);
        slice.await("online", 300_000);
        sleepSeconds(2);
        long rssBefore = server.rssKb();
        var online = fleet.online();
        // creators first: each room's first user makes it and accepts the instant configuration (§10.1.2)
        for (int u : mine) {
            XmppConnection c = online.get(u);
            if (c != null && (u - 1) % roomSize == 0) {
                c.send(join(u));
                c.send("<iq type='set' id='cfg' to='" + room(u) + "'><query xmlns='http://jabber.org/protocol/muc#owner'>"
                        + configForm(roomConfig) + "</query></iq>");
            }
        }
        sleepSeconds(2);
        slice.await("created", 120_000);
        int[] others = java.util.Arrays.stream(mine).filter(u -> (u - 1) % roomSize != 0 && online.containsKey(u)).toArray();
        new Pacer(clock).run(joinRate / slice.count(), others.length, Long.MAX_VALUE, i -> {
            int u = others[(int) i];
            online.get(u).send(join(u));
            return true;
        });
        int expected = (int) java.util.Arrays.stream(mine).filter(online::containsKey).count();
        long joinDeadline = clock.nowNanos() + (long) (joinSeconds * 1e9);
        while (joined.get() < expected && clock.nowNanos() < joinDeadline) {
            Thread.sleep(250);
        }
        slice.await("joined", (long) (joinSeconds * 1000) + 60_000);
        sleepSeconds(3); // join presences settle
        long rssAfter = server.rssKb();
        String memory = rssBefore > 0 && rssAfter > 0 && joined.get() > 0
                ? "joined " + joined.get() + "/" + users + "; RSS per occupant " + Report.f((rssAfter - rssBefore) * 1024.0 / joined.get()) + " B"
                : "joined " + joined.get() + "/" + users;
        XmppConnection[] senders = online.values().toArray(XmppConnection[]::new);
        if (senders.length == 0) {
            throw new IllegalStateException("no user came online: " + fleet.topFailure());
        }
        if (warmup > 0) {
            warmUp(senders, slice, traffic);
            CopySpread.append(common.results.resolve(common.runId + "-spread.csv"),
                    common.serverName + " " + shape() + " warm-up" + (slice.count() > 1 ? " slice " + common.slice : ""),
                    spread.spreads(0));
        }
        List<StepResult> out = new ArrayList<>();
        for (int k = 0; k < rates.length; k++) {
            slice.await("step-" + k, 120_000);
            double rate = rates[k] / slice.count();
            double serverCpu = server.cpuSeconds();
            double genCpu = self.cpuSeconds();
            var watched = watch.start();
            long receivedBefore = traffic.received();
            long t0 = clock.nowNanos();
            long sent = send(senders, rate, stepSeconds, k + 1, traffic);
            double secs = (clock.nowNanos() - t0) / 1e9;
            long inWindow = traffic.received() - receivedBefore;
            double cpu = ServerProbe.percent(serverCpu, server.cpuSeconds(), secs);
            double gen = genCpu(genCpu, secs);
            String perProcess = watch.describe(watched, secs);
            sleepSeconds(drain);
            Histogram h = traffic.latency(k + 1);
            double p99 = h.getTotalCount() == 0 ? Double.MAX_VALUE : h.getValueAtPercentile(99) / 1000.0;
            List<CopySpread.Spread> spreads = spread.spreads(k + 1);
            CopySpread.append(common.results.resolve(common.runId + "-spread.csv"),
                    common.serverName + " " + shape() + (slice.count() > 1 ? " slice " + common.slice : ""), spreads);
            String note = (k == 0 ? memory + "; " : "") + "offered " + Report.f(rates[k] * roomSize) + " copies/s"
                    + (perProcess.isEmpty() ? "" : "; " + perProcess)
                    + (spreads.isEmpty() ? "" : "; " + CopySpread.describe(spreads));
            out.add(new StepResult(name(), shape() + " @ " + Report.f(rates[k]) + " msg/s", users, rates[k], secs, sent,
                    traffic.delivered(k + 1), inWindow, online.size(), fleet.failures(), cpu, gen, server.rssKb(), -1,
                    note, h));
            boolean saturated = inWindow < 0.9 * rate * roomSize * secs || p99 > p99LimitMs;
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

    /** The creator's form: empty (instant room, §10.1.2) unless {@code --room-config} gives fields. */
    static String configForm(List<String> roomConfig) {
        if (roomConfig.isEmpty()) {
            return "<x xmlns='jabber:x:data' type='submit'/>";
        }
        StringBuilder x = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/muc#roomconfig</value></field>");
        for (String f : roomConfig) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--room-config wants var=value, not " + f);
            }
            x.append("<field var='").append(f, 0, eq).append("'><value>").append(f.substring(eq + 1)).append("</value></field>");
        }
        return x.append("</x>").toString();
    }

    private String join(int user) {
        return "<presence to='" + room(user) + "/" + Target.userName(user) + "'><x xmlns='http://jabber.org/protocol/muc'>"
                + "<history maxstanzas='0'/></x></presence>";
    }

    /**
     * Unmeasured, before the steps: each step's rate in turn for an equal share of
     * {@code --warmup} seconds, up to the first rate whose copies fall short as a saturated step's
     * do, then a wait until the warm-up's copies stopped arriving (no backlog is measured). A
     * server that compiles its code while it runs (Parley's JIT) otherwise compiles the fan-out and
     * the input path inside the first measured steps, on the one core it is pinned to: in a room of
     * 5,000 C2 took up the copy path after some ten messages and the input path after some forty,
     * so with a warm-up of one or two messages at the first step's rate (3 s, as before) both were
     * compiled inside the 1 and 4 msg/s steps (BENCHMARKS.md, "What made the room of 5,000 slow at
     * low rates"). Every server gets the same warm-up.
     */
    private void warmUp(XmppConnection[] senders, Slice slice, ChatTraffic traffic) throws InterruptedException {
        double each = warmup / rates.length;
        for (double r : rates) {
            double rate = r / slice.count();
            long before = traffic.delivered(0);
            long t0 = clock.nowNanos();
            send(senders, rate, each, 0, traffic);
            double secs = (clock.nowNanos() - t0) / 1e9;
            if (traffic.delivered(0) - before < 0.9 * rate * roomSize * secs) {
                break; // past what the server keeps up with: not warmed further, and not left a backlog
            }
        }
        long deadline = clock.nowNanos() + 60_000_000_000L;
        long seen = -1;
        while (traffic.delivered(0) != seen && clock.nowNanos() < deadline) {
            seen = traffic.delivered(0);
            sleepSeconds(Math.max(1, drain / 3));
        }
    }

    /** Groupchat messages at {@code rate} from random occupants to their rooms; returns the count sent. */
    private long send(XmppConnection[] senders, double rate, double seconds, int step, ChatTraffic traffic) {
        long deadline = clock.nowNanos() + (long) (seconds * 1e9);
        return new Pacer(clock).run(rate, Long.MAX_VALUE, deadline, i -> {
            XmppConnection from = senders[ThreadLocalRandom.current().nextInt(senders.length)];
            from.send(traffic.stanza(room(from.user()), "groupchat", step));
            return true;
        });
    }
}
