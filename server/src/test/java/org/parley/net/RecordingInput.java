package org.parley.net;

import java.util.ArrayList;
import java.util.List;
import org.parley.c2s.Connection;
import org.parley.c2s.StreamInput;
import org.parley.xml.Element;
import org.parley.xml.StreamHeader;
import org.parley.xmpp.StreamError;

/** A session stand-in for the transport's tests: records what it is handed, as readable lines. */
final class RecordingInput implements StreamInput {
    final List<String> calls = new ArrayList<>();
    final List<Runnable> caughtUp = new ArrayList<>();
    Connection connection;
    int backlog;

    @Override
    public void header(Connection from, StreamHeader header) {
        record(from, "header to=" + header.to());
    }

    @Override
    public void element(Connection from, Element element) {
        record(from, "element " + element.name());
    }

    @Override
    public void end(Connection from) {
        record(from, "end");
    }

    @Override
    public void failed(Connection from, StreamError error) {
        record(from, "failed " + error.condition().elementName());
    }

    @Override
    public void secured(Connection from, String protocol, String cipher) {
        record(from, "secured " + protocol);
    }

    @Override
    public void silent(Connection from) {
        record(from, "silent");
    }

    @Override
    public void disconnected(Connection from) {
        record(from, "disconnected");
    }

    @Override
    public int backlog() {
        return backlog;
    }

    @Override
    public void whenCaughtUp(Runnable task) {
        caughtUp.add(task);
    }

    private void record(Connection from, String call) {
        if (from != connection) {
            throw new AssertionError("handed over for another connection: " + from);
        }
        calls.add(call);
    }
}
