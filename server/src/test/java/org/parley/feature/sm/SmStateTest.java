package org.parley.feature.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.xmpp.Stanza;
import org.parley.session.StreamObserver;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StreamError;

/** The counting of XEP-0198 §4: totals inside, 'h' modulo 2^32 on the wire. */
class SmStateTest {
    private final List<Element> wire = new ArrayList<>();
    private final List<SmState.Pending> undeliverable = new ArrayList<>();
    private int overflows;
    private final List<Long> logged = new ArrayList<>();
    private final List<Long> forgotten = new ArrayList<>();
    private Instant now = Instant.EPOCH;

    private SmState state(int requestEvery, int maxUnacked) {
        return state(requestEvery, new SmState.Limits(maxUnacked, maxUnacked, Duration.ZERO));
    }

    private SmState state(int requestEvery, SmState.Limits limits) {
        Session session = new Session() {
            public Jid jid() {
                return Jid.of("alice", "localhost", "r");
            }

            public void deliver(Stanza stanza) {
            }

            public void close(StreamError error) {
            }

            public Stanza presence() {
                return null;
            }

            public void updatePresence(Stanza presence) {
            }

            public boolean isSecure() {
                return true;
            }

            public <T> T get(SessionKey<T> key) {
                return null;
            }

            public <T> void put(SessionKey<T> key, T value) {
            }
        };
        ClientStream stream = new ClientStream() {
            public String username() {
                return "alice";
            }

            public Session session() {
                return session;
            }

            public void send(Element element) {
                wire.add(element);
            }

            public void close(StreamError error) {
            }

            public void abort() {
            }

            public void observe(StreamObserver observer, Element announce) {
            }

            public StreamObserver observer() {
                return null;
            }

            public boolean moveTo(ClientStream target, Runnable first) {
                return false;
            }

            public Session adopt(org.parley.session.Adoption from, StreamObserver observer, Element announce,
                                 List<Element> first, Runnable whenBound) {
                return null;
            }

            public String address() {
                return "127.0.0.1";
            }

            public <T> T get(SessionKey<T> key) {
                return null;
            }

            public <T> void put(SessionKey<T> key, T value) {
            }
        };
        return new SmState("id", stream, true, java.time.Duration.ofSeconds(1), new SmState.Owner() {
            public void undeliverable(SmState s, List<SmState.Pending> stanzas) {
                undeliverable.addAll(stanzas);
            }

            public void overflow(SmState s) {
                overflows++;
            }

            public void detached(SmState s) {
            }

            public Instant now() {
                return now;
            }

            public java.util.concurrent.CompletionStage<?> logged(SmState s, SmState.Pending p) {
                logged.add(p.seq());
                return null;
            }

            public void acknowledged(SmState s, long acked, long forget) {
                if (forget >= 0) {
                    forgotten.add(forget);
                }
            }
        }, requestEvery, limits);
    }

    private static Element message(int i) {
        return Element.builder("message", "jabber:client").attr("id", "m" + i).build();
    }

    @Test
    void acksRemoveFromTheFrontAndTooHighIsRefused() {
        SmState s = state(100, 100);
        for (int i = 0; i < 5; i++) {
            s.sent(message(i));
        }
        assertThat(s.ack(2)).isNull();
        assertThat(s.unacked()).extracting(p -> p.stanza().attr("id")).containsExactly("m2", "m3", "m4");
        assertThat(s.ack(6)).isNotNull();
        assertThat(s.ack(1)).as("an old 'h' wraps around to more than was sent").isNotNull();
        assertThat(s.ack(5)).isNull();
        assertThat(s.hasUnacked()).isFalse();
    }

    @Test
    void theWireCarriesCountsModulo2To32() {
        SmState s = state(Integer.MAX_VALUE, Integer.MAX_VALUE);
        for (int i = 0; i < 3; i++) {
            s.sent(message(i));
        }
        assertThat(s.ack(3)).isNull();
        for (long i = 0; i < 4; i++) {
            s.received();
        }
        assertThat(Sm.ack(Sm.MOD + 3).attr("h")).isEqualTo("3");
        assertThat(Sm.ack(s.handled()).attr("h")).isEqualTo("4");
    }

    @Test
    void asksForAnAckEveryFewStanzasAndReportsOverflowOnce() {
        SmState s = state(2, 3);
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Element r = s.sent(message(i));
            after.add(r == null ? "-" : r.name());
        }
        assertThat(after).as("the first owed, every second; the fourth overflows instead")
                .containsExactly("r", "r", "-", "-", "r");
        assertThat(overflows).isEqualTo(1);
    }

    @Test
    void pastTheSoftLimitOnlyAClientThatStoppedAcknowledgingOverflows() {
        SmState s = state(1000, new SmState.Limits(3, 10, Duration.ofSeconds(30)));
        for (int i = 0; i < 6; i++) {
            s.sent(message(i));
        }
        assertThat(overflows).as("just enabled: the burst is on its way").isZero();
        now = now.plusSeconds(20);
        assertThat(s.ack(2)).isNull();
        now = now.plusSeconds(20);
        s.sent(message(6));
        assertThat(s.stalled()).as("acknowledged 20 s ago").isFalse();
        assertThat(overflows).isZero();
        now = now.plusSeconds(15);
        assertThat(s.stalled()).as("nothing new acknowledged for 35 s with 5 queued").isTrue();
        assertThat(s.stalled()).as("reported once").isFalse();
    }

    @Test
    void anAckRequestLeftUnansweredIsOverdueOnceAfterTheTimeout() {
        SmState s = state(100, 100);
        assertThat(s.sent(message(1))).as("the first stanza owed is followed by a request").isNotNull();
        assertThat(s.sent(message(2))).isNull();
        now = now.plusSeconds(59);
        assertThat(s.ackOverdue(Duration.ofSeconds(60))).isFalse();
        now = now.plusSeconds(1);
        assertThat(s.ackOverdue(Duration.ofSeconds(60))).isTrue();
        assertThat(s.ackOverdue(Duration.ofSeconds(60))).as("once").isFalse();

        s.requested(now);
        assertThat(s.ack(1)).isNull();
        now = now.plusSeconds(120);
        assertThat(s.ackOverdue(Duration.ofSeconds(60))).as("answered").isFalse();
    }

    @Test
    void theHardLimitOverflowsWhateverTheAcknowledgements() {
        SmState s = state(1000, new SmState.Limits(3, 5, Duration.ofSeconds(30)));
        for (int i = 0; i < 6; i++) {
            s.sent(message(i));
        }
        assertThat(overflows).isEqualTo(1);
    }

    @Test
    void theObserverShowsWhatIsUnacknowledgedOldestFirst() {
        SmState s = state(100, 100);
        for (int i = 0; i < 3; i++) {
            s.sent(message(i));
        }
        assertThat(s.ack(1)).isNull();
        assertThat(s.unacknowledged()).extracting(e -> e.attr("id")).containsExactly("m1", "m2");
        assertThat(s.ack(3)).isNull();
        assertThat(s.unacknowledged()).isEmpty();
    }

    @Test
    void afterTheEndStanzasAreHandedBackAtOnce() {
        SmState s = state(100, 100);
        s.sent(message(1));
        assertThat(s.end()).hasSize(1);
        s.sent(message(2));
        assertThat(undeliverable).extracting(p -> p.stanza().attr("id")).containsExactly("m2");
    }

    /**
     * What another node needs to resume the session: every stanza logged with its count, and an
     * acknowledged one forgotten only once it is KEEP_ACKED older than the newest (a node that
     * adopts the session after a death hands the archive's last moments over again, except what
     * the log shows the client had).
     */
    @Test
    void stanzasAreLoggedWithTheirCountAndAcknowledgedOnesForgottenOnlyWhenOld() {
        SmState s = state(100, 100);
        for (int i = 0; i < 3; i++) {
            s.sent(message(i));
        }
        assertThat(logged).containsExactly(1L, 2L, 3L);
        now = now.plus(SmState.KEEP_ACKED).plusSeconds(1);
        s.ack(2); // 1 and 2 acknowledged, but 3 (the newest) was queued as early: nothing is old enough
        assertThat(forgotten).isEmpty();
        s.sent(message(3)); // newest now KEEP_ACKED + 1 s after the first three
        s.ack(3);
        assertThat(forgotten).containsExactly(3L);
        assertThat(s.unacked()).extracting(SmState.Pending::seq).containsExactly(4L);
    }
}
