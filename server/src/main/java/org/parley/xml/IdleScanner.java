package org.parley.xml;

import com.fasterxml.aalto.async.AsyncByteBufferScanner;
import com.fasterxml.aalto.in.ReaderConfig;
import java.nio.ByteBuffer;
import javax.xml.stream.XMLStreamException;

/**
 * Aalto's non-blocking scanner, able to lend its text and name buffers back while its connection
 * is idle. A parser keeps about 1.2 KB of them (a 500-character text buffer, a name buffer, a view
 * of the last read) for as long as it lives, though most connections are quiet most of the time:
 * {@link #release()} returns them to Aalto's buffer recycler of the current thread (the
 * connection's event loop, where the next parser to need them takes them back), and the next
 * {@link #feedInput} takes a name buffer again; the text buffer is taken when text starts.
 */
final class IdleScanner extends AsyncByteBufferScanner {
    private boolean released;

    IdleScanner(ReaderConfig config) {
        super(config);
    }

    /**
     * Lends the buffers back. Only call it with every fed byte parsed into events that were all
     * handed out, so no token is half-scanned (a name in the name buffer, text in the text buffer).
     */
    void release() {
        if (released || !needMoreInput()) {
            return;
        }
        released = true;
        _inputBuffer = null;
        _textBuilder.recycle(true);
        char[] names = _nameBuffer;
        if (names != null) {
            _nameBuffer = null;
            _config.freeSmallCBuffer(names);
        }
    }

    boolean released() {
        return released;
    }

    @Override
    public void feedInput(ByteBuffer buffer) throws XMLStreamException {
        if (released) {
            released = false;
            _nameBuffer = _config.allocSmallCBuffer(ReaderConfig.DEFAULT_SMALL_BUFFER_LEN);
        }
        super.feedInput(buffer);
    }
}
