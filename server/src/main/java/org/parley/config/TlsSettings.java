package org.parley.config;

import java.nio.file.Path;

/** {@code tls.*}: the certificate; both unset means a self-signed one is generated. */
public record TlsSettings(SectionValues values) {

    static final Option<Path> CERTIFICATE = Option.file("certificate", "PEM certificate chain")
            .documentedAs("generated");
    static final Option<Path> KEY = Option.file("key", "PEM private key").documentedAs("generated");

    public static final Section SECTION = Section.of("tls", CERTIFICATE, KEY);

    /** Null when the server generates its own. */
    public Path certificate() {
        return values.get(CERTIFICATE);
    }

    /** Null when the server generates its own. */
    public Path key() {
        return values.get(KEY);
    }

    void check() {
        if (certificate() != null && key() == null) {
            throw new ConfigException(SECTION.key(KEY), "required when tls.certificate is set");
        }
        if (key() != null && certificate() == null) {
            throw new ConfigException(SECTION.key(CERTIFICATE), "required when tls.key is set");
        }
    }
}
