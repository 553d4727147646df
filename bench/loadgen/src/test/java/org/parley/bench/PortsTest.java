package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void oneListedPortServesEveryUser() {
        Ports p = Ports.single(5522);
        assertThat(p.of(1)).isEqualTo(5522);
        assertThat(p.of(2)).isEqualTo(5522);
        assertThat(p.count()).isEqualTo(1);
    }

    @Test
    void userIGoesToPortIModuloN() {
        Ports p = new Ports(List.of(5522, 5523));
        assertThat(p.of(2)).isEqualTo(5522);
        assertThat(p.of(4)).isEqualTo(5522);
        assertThat(p.of(1)).isEqualTo(5523);
        assertThat(p.of(7)).isEqualTo(5523);
    }

    @Test
    void crossPeersAlwaysLiveOnAnotherPortAndCoverThem() {
        Ports p = new Ports(List.of(5522, 5523, 5524));
        Random r = new Random(1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            int from = 1 + r.nextInt(30);
            int to = p.peer(from, 30, true, r);
            assertThat(to).isBetween(1, 30).isNotEqualTo(from);
            assertThat(p.of(to)).isNotEqualTo(p.of(from));
            seen.add(to);
        }
        assertThat(seen).hasSize(30);
    }

    @Test
    void withoutCrossAnyOtherUserIsAPeer() {
        Ports p = new Ports(List.of(5522, 5523));
        Random r = new Random(2);
        boolean sameNodeSeen = false;
        for (int i = 0; i < 2000; i++) {
            int to = p.peer(2, 10, false, r);
            assertThat(to).isBetween(1, 10).isNotEqualTo(2);
            sameNodeSeen |= p.of(to) == p.of(2);
        }
        assertThat(sameNodeSeen).isTrue();
    }

    @Test
    void needsAPort() {
        assertThatThrownBy(() -> new Ports(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
