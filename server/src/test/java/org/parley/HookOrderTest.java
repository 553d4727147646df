package org.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.module.Module;
import org.parley.route.Phase;
import org.parley.testing.TestServer;

/**
 * The order in which the standard server's hooks run in each phase, as {@code docs/architecture.md}
 * ("Hook order") tables it, and that it follows from the declared stages, not the module list.
 */
class HookOrderTest {

    static final Map<Phase, List<String>> EXPECTED = Map.of(
            Phase.OUTBOUND, List.of(
                    "FILTER blocking.outbound",
                    "FILTER strangers.limit",
                    "HANDLE presence.broadcast",
                    "HANDLE roster.subscriptions",
                    "COPY carbons.sent"),
            Phase.INBOUND, List.of(
                    "FILTER blocking.inbound",
                    "FILTER strangers.policy",
                    "HANDLE presence.probes",
                    "HANDLE push.answers",
                    "HANDLE roster.subscriptions",
                    "STAMP mam.archive",
                    "COPY carbons.copies",
                    "FINAL mam.unstamp"),
            Phase.DELIVER, List.of(
                    "FILTER blocking.pushes",
                    "FILTER carbons.enabled",
                    "FILTER roster.pushes",
                    "STAMP pep.avatar",
                    "COPY last.unavailable",
                    "COPY push.detached",
                    "FINAL csi.hold"),
            Phase.UNDELIVERED, List.of(
                    "COPY push.missed",
                    "FINAL offline.store"));

    private static Map<Phase, List<String>> order(TestServer server) {
        Map<Phase, List<String>> order = new java.util.EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            order.put(p, server.server().hookOrder(p));
        }
        return order;
    }

    @Test
    void theStandardServersHooksRunInTheDocumentedOrder(@TempDir Path dir) {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(order(server)).isEqualTo(EXPECTED);
        }
    }

    @Test
    void theOrderOfTheModuleListDoesNotMatter(@TempDir Path dir) {
        List<Module> reversed = new ArrayList<>(Server.defaultModules());
        Collections.reverse(reversed);
        try (TestServer server = TestServer.start(dir.resolve("reversed"), Map.of(), reversed)) {
            assertThat(order(server)).isEqualTo(EXPECTED);
        }
        List<Module> shuffled = new ArrayList<>(Server.defaultModules());
        Collections.shuffle(shuffled, new Random(11));
        try (TestServer server = TestServer.start(dir.resolve("shuffled"), Map.of(), shuffled)) {
            assertThat(order(server)).isEqualTo(EXPECTED);
        }
    }
}
