package org.parley.net.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A PEM certificate chain and its private key on disk.
 *
 * @param selfSigned true when Parley generated the pair itself, so the start-up banner can tell
 *     the operator to compare fingerprints rather than trust a CA
 */
public record CertificateFiles(Path certificate, Path key, boolean selfSigned) {

    public CertificateFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }
}
