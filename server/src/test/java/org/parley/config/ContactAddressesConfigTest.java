package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.feature.contact.ContactAddressesModule;

/** The contact.* keys (XEP-0157): lists of URIs, as a YAML list or space-separated in the environment. */
class ContactAddressesConfigTest {
    private static final Option<List<String>> ABUSE = ContactAddressesModule.KINDS.get(0);
    private static final Option<List<String>> ADMIN = ContactAddressesModule.KINDS.get(1);

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("parley.yml"), text);
    }

    @Test
    void noneByDefault() {
        Config c = TestConfigs.load(null, Map.of());
        for (Option<List<String>> kind : ContactAddressesModule.KINDS) {
            assertThat(c.module("contact").get(kind)).isEmpty();
        }
    }

    @Test
    void aYamlListOrOneAddress() throws IOException {
        Config c = TestConfigs.load(yaml("""
                contact:
                  abuse:
                    - mailto:abuse@example.org
                    - xmpp:abuse@example.org
                  admin: xmpp:admin@example.org
                """), Map.of());
        assertThat(c.module("contact").get(ABUSE)).containsExactly("mailto:abuse@example.org", "xmpp:abuse@example.org");
        assertThat(c.module("contact").get(ADMIN)).containsExactly("xmpp:admin@example.org");
    }

    @Test
    void theEnvironmentSeparatesBySpacesOrCommasAndReplacesTheFile() throws IOException {
        Config c = TestConfigs.load(yaml("""
                contact:
                  abuse: [mailto:old@example.org]
                """), Map.of("PARLEY_CONTACT_ABUSE", "mailto:a@example.org xmpp:a@example.org,https://example.org/abuse"));
        assertThat(c.module("contact").get(ABUSE))
                .containsExactly("mailto:a@example.org", "xmpp:a@example.org", "https://example.org/abuse");
    }

    @Test
    void anAddressWithoutASchemeOrANestedListNamesTheKey() throws IOException {
        assertThatThrownBy(() -> TestConfigs.load(null, Map.of("PARLEY_CONTACT_ADMIN", "admin@example.org")))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("contact.admin");
        Path nested = yaml("""
                contact:
                  abuse:
                    - [mailto:a@example.org]
                """);
        assertThatThrownBy(() -> TestConfigs.load(nested, Map.of()))
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("contact.abuse");
    }
}
