package org.parley.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The message side of the chat scenario: builds timestamped 1:1 chat stanzas and, on receipt,
 * records end-to-end latency into the histogram of the step the message was sent in (the body
 * carries "T&lt;epoch nanos&gt; S&lt;step&gt;"), so late deliveries still count against their step.
 */
final class ChatTraffic implements XmppConnection.Listener {
    private static final String PAD = "x".repeat(64);

    private final RunClock clock;
    private final Target target;
    private final int bodyBytes;
    private final Histogram[] latency;
    private final AtomicLongArray delivered;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong unparsed = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();
    private final CopySpread spread;
    private volatile LatencyTimeline timeline;

    ChatTraffic(RunClock clock, Target target, int steps, int bodyBytes) {
        this(clock, target, steps, bodyBytes, null);
    }

    /** With {@code spread}, every copy is also recorded per message (group chat). */
    ChatTraffic(RunClock clock, Target target, int steps, int bodyBytes, CopySpread spread) {
        this.spread = spread;
        this.clock = clock;
        this.target = target;
        this.bodyBytes = bodyBytes;
        this.latency = new Histogram[steps];
        for (int i = 0; i < steps; i++) {
            latency[i] = new ConcurrentHistogram(3_600_000_000L, 3);
        }
        this.delivered = new AtomicLongArray(steps);
    }

    /** Also record each delivery by the second it was sent in. */
    void timeline(LatencyTimeline timeline) {
        this.timeline = timeline;
    }

    /** A chat from anyone to user {@code to}, stamped now for step {@code step}. */
    String stanza(int to, int step) {
        return stanza(target.jid(to), "chat", step);
    }

    /** A message of {@code type} to {@code jid} (a room for groupchat), stamped now for step {@code step}. */
    String stanza(String jid, String type, int step) {
        String head = "T" + clock.nowNanos() + " S" + step + " ";
        String body = head.length() >= bodyBytes ? head : head + PAD.substring(0, Math.min(PAD.length(), bodyBytes - head.length()));
        return "<message to='" + jid + "' type='" + type + "'><body>" + body + "</body></message>";
    }

    @Override
    public void message(XmppConnection c, String stanza) {
        long now = clock.nowNanos();
        if (isError(stanza)) {
            // The server's error reply to one of ours: it echoes the body, and was counted as
            // delivered (the scale run's 7,418 bounces under "0 lost"). Not delivered: lost.
            bounced.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        int b = stanza.indexOf("<body>T");
        if (b < 0) {
            unparsed.incrementAndGet();
            return;
        }
        int i = b + 7;
        long sentAt = 0;
        while (i < stanza.length() && Character.isDigit(stanza.charAt(i))) {
            sentAt = sentAt * 10 + (stanza.charAt(i++) - '0');
        }
        int step = 0;
        if (stanza.startsWith(" S", i)) {
            i += 2;
            while (i < stanza.length() && Character.isDigit(stanza.charAt(i))) {
                step = step * 10 + (stanza.charAt(i++) - '0');
            }
        }
        if (step < 0 || step >= latency.length) {
            unparsed.incrementAndGet();
            return;
        }
        long micros = Math.max(0, (now - sentAt) / 1000);
        latency[step].recordValue(micros);
        if (spread != null) {
            spread.copy(step, sentAt, micros);
        }
        LatencyTimeline t = timeline;
        if (t != null) {
            t.record(sentAt, micros);
        }
        delivered.incrementAndGet(step);
    }

    @Override
    public void online(XmppConnection c) {
    }

    @Override
    public void failed(XmppConnection c, String reason) {
    }

    /** Whether the message's opening tag says type='error'. */
    static boolean isError(String stanza) {
        int end = stanza.indexOf('>');
        String head = end < 0 ? stanza : stanza.substring(0, end);
        return head.contains("type='error'") || head.contains("type=\"error\"");
    }

    /** Error replies to messages sent: not counted as received or delivered. */
    long bounced() {
        return bounced.get();
    }

    long received() {
        return received.get();
    }

    long unparsed() {
        return unparsed.get();
    }

    long delivered(int step) {
        return delivered.get(step);
    }

    Histogram latency(int step) {
        return latency[step].copy();
    }
}
