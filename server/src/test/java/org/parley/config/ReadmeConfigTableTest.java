package org.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.parley.Server;

/**
 * README's configuration table lists exactly the options the server declares (the core's and the
 * default modules'), each with its default as the option renders it, so the documentation cannot
 * drift from the code.
 */
class ReadmeConfigTableTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row: its keys, and its default cell. */
    private record Row(List<String> keys, String defaults) {
    }

    @Test
    void theTableListsEveryDeclaredOptionWithItsDefault() throws IOException {
        Map<String, Option<?>> declared = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>(Config.CORE);
        sections.addAll(Server.defaultSections());
        for (Section s : sections) {
            for (Option<?> o : s.options()) {
                declared.put(s.key(o), o);
            }
        }

        List<Row> rows = table(readme());
        List<String> documented = rows.stream().flatMap(r -> r.keys().stream()).toList();
        assertThat(documented).as("keys in README's table").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(declared.keySet());

        for (Row row : rows) {
            List<String> defaults = row.keys().stream().map(k -> declared.get(k).documentedDefault()).toList();
            // A row of several keys shows each default in turn, or one shared by all.
            String expected = defaults.stream().distinct().count() == 1 ? defaults.get(0) : String.join(", ", defaults);
            assertThat(row.defaults()).as("the default of %s", row.keys())
                    .satisfiesAnyOf(d -> assertThat(d).isEqualTo(expected),
                            d -> assertThat(d).startsWith(expected + " ("));
        }
    }

    private static String readme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above the working directory").isNotNull();
        return Files.readString(dir.resolve("README.md"));
    }

    /** The rows of the table under "| key | default | meaning |". */
    private static List<Row> table(String readme) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("| key | default | meaning |")) {
                inTable = true;
            } else if (inTable && line.startsWith("|---")) {
                continue;
            } else if (inTable && line.startsWith("|")) {
                String[] cells = line.split("\\|", -1);
                List<String> keys = new ArrayList<>();
                Matcher m = CODE.matcher(cells[1]);
                while (m.find()) {
                    keys.add(m.group(1));
                }
                rows.add(new Row(keys, cells[2].trim()));
            } else if (inTable) {
                break;
            }
        }
        assertThat(rows).as("README's configuration table").isNotEmpty();
        return rows;
    }
}
