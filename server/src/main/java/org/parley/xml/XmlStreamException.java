package org.parley.xml;

import io.netty.handler.codec.DecoderException;

/**
 * A fatal problem with an inbound XML stream; each {@link Kind} maps onto one RFC 6120 stream
 * error condition. It extends Netty's {@code DecoderException} (a {@code RuntimeException}) so
 * that {@code ByteToMessageDecoder} passes it to {@code exceptionCaught} unwrapped.
 */
public final class XmlStreamException extends DecoderException {

    /** What went wrong, named after the stream error condition to send. */
    public enum Kind {
        /** {@code <not-well-formed/>}: the bytes are not well-formed XML. */
        NOT_WELL_FORMED,
        /** {@code <restricted-xml/>}: comments, PIs, DTDs or entity references (RFC 6120 §11.1). */
        RESTRICTED_XML,
        /** {@code <policy-violation/>}: a stanza too large or nested too deep. */
        POLICY_VIOLATION,
        /** {@code <invalid-namespace/>}: the root is not {@code stream} in the streams namespace. */
        INVALID_NAMESPACE
    }

    private final Kind kind;

    public XmlStreamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public XmlStreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * The XML failure behind a pipeline exception: {@code cause} itself, or the one a decoder
     * wrapped; null when the exception is not about the XML stream.
     */
    public static XmlStreamException in(Throwable cause) {
        if (cause instanceof XmlStreamException x) {
            return x;
        }
        return cause instanceof DecoderException && cause.getCause() instanceof XmlStreamException x ? x : null;
    }

    public Kind kind() {
        return kind;
    }
}
