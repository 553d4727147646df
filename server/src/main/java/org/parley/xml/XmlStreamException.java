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

    public Kind kind() {
        return kind;
    }
}
