package org.parley.net.tls;

/** The server cannot build its TLS context; the message names the file at fault. */
public final class TlsSetupException extends RuntimeException {

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
