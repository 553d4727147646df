package org.parley.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.config.Config;
import org.parley.config.ConfigException;
import org.parley.config.ConfigLoader;
import org.parley.config.Option;
import org.parley.config.Section;
import org.parley.feature.csi.CsiModule;
import org.parley.route.Handlers;
import org.parley.xmpp.Jid;

/** A module's own options: declared by it, checked at load, read through its context and nobody else's. */
class ModuleOptionsTest {

    /** A module of a test's own, as an embedder or a later feature would write one. */
    static final class Echo implements Module {
        static final Option<Integer> LIMIT = Option.integer("limit", 7, 1, 10, "a test limit");
        static final Option<Duration> WAIT = Option.duration("wait", Duration.ofSeconds(1), Duration.ZERO,
                Duration.ofMinutes(1), "a test wait");
        static final Option<Integer> UNDECLARED = Option.integer("undeclared", 1, 1, 2, "not in options()");

        volatile Integer limit;
        volatile Duration wait;
        final List<RuntimeException> refused = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public String section() {
            return "echoes";
        }

        @Override
        public List<Option<?>> options() {
            return List.of(LIMIT, WAIT);
        }

        @Override
        public void start(ModuleContext ctx) {
            limit = ctx.option(LIMIT);
            wait = ctx.option(WAIT);
            for (Option<?> notMine : List.of(UNDECLARED, CsiModule.MAX_HELD)) {
                try {
                    ctx.option(notMine);
                } catch (RuntimeException e) {
                    refused.add(e);
                }
            }
        }
    }

    @TempDir
    Path dir;

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("PARLEY_DATA_DIR", dir.toString(),
                "PARLEY_C2S_BIND_ADDRESS", "127.0.0.1", "PARLEY_C2S_PORT", "0", "PARLEY_C2S_DIRECT_TLS_PORT", "-1"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void aServerWithACustomModuleGivesItItsOwnOptions() throws Exception {
        Echo echo = new Echo();
        Path file = Files.writeString(dir.resolve("parley.yml"), "echoes:\n  limit: 9\n");
        Config config = ConfigLoader.load(file, env(), Server.sections(List.of(echo)));
        try (Server server = new Server(config, List.of(echo))) {
            server.start();
            assertThat(echo.limit).as("from the YAML file").isEqualTo(9);
            assertThat(echo.wait).as("its default").isEqualTo(Duration.ofSeconds(1));
            assertThat(echo.refused).as("an option it does not declare, and another module's").hasSize(2)
                    .allSatisfy(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("module echo reads option").hasMessageContaining("does not declare"));
        }
    }

    @Test
    void aCustomModulesOptionsAreCheckedAtLoad() {
        List<Section> sections = Server.sections(List.of(new Echo()));
        assertThatThrownBy(() -> ConfigLoader.load(null, env("PARLEY_ECHOES_LIMIT", "11"), sections))
                .isInstanceOf(ConfigException.class)
                .hasMessage("echoes.limit: must be at most 10, got \"11\""
                        + " (from environment variable PARLEY_ECHOES_LIMIT)");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("PARLEY_ECHOES_LIMITS", "1"), sections))
                .hasMessage("PARLEY_ECHOES_LIMITS: unknown key");
    }

    @Test
    void aServerRefusesAConfigurationLoadedWithoutItsModulesSections() {
        Config core = ConfigLoader.load(null, env(), List.of());
        assertThatThrownBy(() -> new Server(core, List.of(new Echo())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echoes");
        assertThatThrownBy(() -> new Server(core)).isInstanceOf(IllegalArgumentException.class);
        Config other = ConfigLoader.load(null, env(), List.of(Section.of("echoes", Echo.LIMIT)));
        assertThatThrownBy(() -> new Server(other, List.of(new Echo())))
                .as("loaded with other options than the module declares")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echoes");
    }

    @Test
    void optionsAreReadThroughTheContextMadeForTheModule() {
        Echo echo = new Echo();
        Config config = ConfigLoader.load(null, env(), Server.sections(List.of(echo)));
        ModuleContext server = new ModuleContext(config, Jid.domain("localhost"), null, null, null, new Handlers(),
                new Features(), Clock.systemUTC(), null, new LocalUserLocks());
        assertThatThrownBy(() -> server.option(Echo.LIMIT)).isInstanceOf(IllegalStateException.class);
        assertThat(server.forModule(echo).option(Echo.LIMIT)).isEqualTo(7);
    }
}
