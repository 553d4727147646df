package org.parley.feature.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.parley.store.StoreException;
import org.parley.store.sql.SqlStores;

/** Offline messages (RFC 6121 §8.5.2.2, XEP-0160) on every database; a subclass supplies empty stores per test. */
abstract class OfflineStoreContractTest {

    protected abstract SqlStores stores();

    private OfflineStore offline() {
        return new SqlOfflineStore(stores().database());
    }

    private void createAccounts(String... names) {
        for (String name : names) {
            assertThat(stores().accounts().create(name, List.of())).isTrue();
        }
    }

    @Test
    void offlineMessagesComeBackOldestFirst() {
        createAccounts("alice");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 5; i++) {
            assertThat(offline().store("alice", "<message id='" + i + "'/>", 100)).isEqualTo(OfflineResult.STORED);
        }
        Instant after = Instant.now();
        List<OfflineMessage> messages = offline().fetch("alice", 100);
        assertThat(messages).extracting(OfflineMessage::stanzaXml).containsExactly(
                "<message id='0'/>", "<message id='1'/>", "<message id='2'/>", "<message id='3'/>",
                "<message id='4'/>");
        assertThat(messages).extracting(OfflineMessage::id).isSorted().doesNotHaveDuplicates();
        assertThat(messages).allSatisfy(m -> assertThat(m.stored()).isBetween(before, after));
        assertThat(offline().fetch("alice", 2)).containsExactlyElementsOf(messages.subList(0, 2));
        assertThat(offline().fetch("bob", 10)).isEmpty();
    }

    @Test
    void storeBeyondTheCapIsRefusedAndStoresNothing() {
        createAccounts("alice", "bob");
        assertThat(offline().store("alice", "<m1/>", 2)).isEqualTo(OfflineResult.STORED);
        assertThat(offline().store("alice", "<m2/>", 2)).isEqualTo(OfflineResult.STORED);
        assertThat(offline().store("alice", "<m3/>", 2)).isEqualTo(OfflineResult.QUOTA_EXCEEDED);
        assertThat(offline().count("alice")).isEqualTo(2);
        assertThat(offline().fetch("alice", 10)).extracting(OfflineMessage::stanzaXml).containsExactly("<m1/>", "<m2/>");
        // The cap is per owner.
        assertThat(offline().store("bob", "<m1/>", 2)).isEqualTo(OfflineResult.STORED);
        assertThat(offline().store("bob", "<m1/>", 0)).isEqualTo(OfflineResult.QUOTA_EXCEEDED);
    }

    @Test
    void deleteRemovesUpToAndIncludingTheId() {
        createAccounts("alice", "bob");
        for (int i = 0; i < 4; i++) {
            offline().store("alice", "<m" + i + "/>", 10);
            offline().store("bob", "<m" + i + "/>", 10);
        }
        List<OfflineMessage> all = offline().fetch("alice", 10);
        offline().delete("alice", all.get(1).id());
        assertThat(offline().fetch("alice", 10)).containsExactlyElementsOf(all.subList(2, 4));
        assertThat(offline().count("alice")).isEqualTo(2);
        assertThat(offline().count("bob")).isEqualTo(4);

        offline().delete("alice", all.get(3).id());
        offline().store("alice", "<later/>", 10);
        assertThat(offline().fetch("alice", 10).getFirst().id()).isGreaterThan(all.get(3).id());
    }

    @Test
    void offlineStoreForUnknownAccountFails() {
        assertThatThrownBy(() -> offline().store("ghost", "<m/>", 10)).isInstanceOf(StoreException.class);
        assertThat(offline().count("ghost")).isZero();
    }

    @Test
    void concurrentStoresRespectTheCapAndKeepPerSenderOrder() throws Exception {
        createAccounts("alice");
        int threads = 8;
        int perThread = 10;
        int cap = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> stored = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Integer> task = () -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (offline().store("alice", thread + ":" + i, cap) == OfflineResult.STORED) {
                            ok++;
                        }
                    }
                    return ok;
                };
                stored.add(pool.submit(task));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : stored) {
                total += f.get();
            }
            assertThat(total).isEqualTo(cap);
        } finally {
            pool.shutdownNow();
        }
        List<OfflineMessage> messages = offline().fetch("alice", 1000);
        assertThat(messages).hasSize(cap);
        assertThat(offline().count("alice")).isEqualTo(cap);
        assertThat(messages).extracting(OfflineMessage::id).isSorted().doesNotHaveDuplicates();
        // Each thread stored in sequence, so its messages must come back in that sequence.
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<Integer> sequence = messages.stream().map(OfflineMessage::stanzaXml)
                    .filter(s -> s.startsWith(prefix))
                    .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
            List<Integer> sorted = new ArrayList<>(sequence);
            Collections.sort(sorted);
            assertThat(sequence).isEqualTo(sorted);
        }
    }

    @Test
    void removingTheAccountRemovesItsMessagesAndNoOneElses() {
        createAccounts("alice", "bob");
        offline().store("alice", "<message/>", 10);
        offline().store("bob", "<message/>", 10);
        stores().accounts().delete("alice");
        stores().accounts().create("alice", List.of());
        assertThat(offline().count("alice")).isZero();
        assertThat(offline().count("bob")).isEqualTo(1);
    }
}
