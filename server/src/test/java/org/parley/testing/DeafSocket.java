package org.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A bare direct-TLS socket, logged in with SASL PLAIN and bound, that reads only when the test
 * tells it to: for what a client that stops reading its socket does to the server. Its receive
 * buffer may be set small, before connecting, so that little the server sends fits in it.
 */
public final class DeafSocket {
    public static final String HEADER = "<stream:stream xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

    private DeafSocket() {
    }

    /**
     * Logs {@code user} (created if needed) in over direct TLS and binds {@code resource}; nothing
     * more. {@code receiveBuffer}: the socket's receive buffer in bytes, 0 for the system's default.
     */
    public static Socket bound(ServerExtension server, String user, String resource, int receiveBuffer)
            throws IOException {
        server.account(user);
        Socket s = server.get().sslContext().getSocketFactory().createSocket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.get().directTlsPort()));
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        send(out, HEADER);
        readUntil(in, "</stream:features>");
        String auth = Base64.getEncoder().encodeToString(("\0" + user + "\0" + ServerExtension.password(user))
                .getBytes(StandardCharsets.UTF_8));
        send(out, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + auth + "</auth>");
        readUntil(in, "<success");
        send(out, HEADER);
        readUntil(in, "</stream:features>");
        send(out, "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>" + resource + "</resource></bind></iq>");
        readUntil(in, "</iq>");
        return s;
    }

    /** Reads a byte at a time until {@code marker} has come; returns what came. */
    public static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(marker) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed before " + marker + "; got " + seen);
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    public static void send(OutputStream out, String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
