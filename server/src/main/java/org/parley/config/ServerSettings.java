package org.parley.config;

import java.nio.file.Path;

/** The top-level settings: the domain served and where the server keeps its files. */
public record ServerSettings(SectionValues values) {

    static final Option<String> DOMAIN = Option.domain("domain", "localhost", "the XMPP domain served");
    static final Option<Path> DATA_DIR = Option.path("dataDir", Path.of("./data"),
            "the SQLite database and the generated certificate");

    public static final Section SECTION = Section.of("", DOMAIN, DATA_DIR);

    /** The domainpart of RFC 7622 §3.2, in the ASCII lower-case form used for comparisons. */
    public String domain() {
        return values.get(DOMAIN);
    }

    public Path dataDir() {
        return values.get(DATA_DIR);
    }
}
