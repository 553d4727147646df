package org.parley.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.parley.xml.Element;
import org.parley.xml.StreamEnd;
import org.parley.xml.StreamHeader;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;

/**
 * A hand-driven XMPP client for input Smack will not produce. It writes XML text as given and
 * parses what the server sends with Parley's own stream decoder into {@link StreamHeader},
 * {@link Element} and {@link StreamEnd}, one item per {@link #next()}; {@code null} means the server
 * closed the connection. The parser restarts by itself after {@code <proceed/>} and SASL
 * {@code <success/>}, as a client's must.
 */
public final class RawStreamClient implements AutoCloseable {
    public static final int TIMEOUT_MILLIS = 5000;

    private final EmbeddedChannel parser;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean eof;

    private RawStreamClient(Socket socket) throws IOException {
        this.parser = new EmbeddedChannel();
        XmlStreamDecoder decoder = new XmlStreamDecoder(new XmlLimits(1 << 20, 64));
        parser.pipeline().addLast(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Element e && (e.is("success", Namespaces.SASL) || e.is("proceed", Namespaces.TLS))) {
                    decoder.reset();
                }
                ctx.fireChannelRead(msg);
            }
        });
        use(socket);
    }

    /** A plain TCP connection, e.g. to the STARTTLS port. */
    public static RawStreamClient plain(int port) throws IOException {
        return new RawStreamClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** A connection that is TLS from the first byte (XEP-0368), trusting what {@code ctx} trusts. */
    public static RawStreamClient directTls(int port, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.startHandshake();
        return new RawStreamClient(s);
    }

    private void use(Socket s) throws IOException {
        s.setSoTimeout(TIMEOUT_MILLIS);
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** Writes raw XML text. */
    public RawStreamClient send(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    /** Sends a well-formed jabber:client stream header to {@code domain}. */
    public RawStreamClient open(String domain) throws IOException {
        return send("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='"
                + Namespaces.STREAMS + "' to='" + domain + "' version='1.0'>");
    }

    /** The next item from the server, or {@code null} once it has closed the connection. */
    public Object next() throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            Object item = parser.readInbound();
            if (item != null) {
                return item;
            }
            if (eof) {
                return null;
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("nothing from the server within " + TIMEOUT_MILLIS + " ms");
            } catch (IOException e) {
                n = -1; // a reset after the server's close counts as closed
            }
            if (n < 0) {
                eof = true;
            } else {
                parser.writeInbound(Unpooled.wrappedBuffer(buf, 0, n));
            }
        }
    }

    public StreamHeader header() throws IOException {
        return expect(StreamHeader.class);
    }

    public Element element() throws IOException {
        return expect(Element.class);
    }

    /** The next element, which must be {@code <stream:features/>}. */
    public Element features() throws IOException {
        Element f = element();
        if (!f.is("features", Namespaces.STREAMS)) {
            throw new AssertionError("expected stream features, got " + f.toXml());
        }
        return f;
    }

    /** Expects {@code </stream:stream>} and then the server closing the connection. */
    public void expectClosed() throws IOException {
        expect(StreamEnd.class);
        Object after = next();
        if (after != null) {
            throw new AssertionError("expected the connection to close, got " + after);
        }
    }

    private <T> T expect(Class<T> type) throws IOException {
        Object item = next();
        if (!type.isInstance(item)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got "
                    + (item instanceof Element e ? e.toXml() : item));
        }
        return type.cast(item);
    }

    /** Opens a stream and reads the server's header and features. */
    public Element openAndReadFeatures(String domain) throws IOException {
        open(domain);
        header();
        return features();
    }

    /** STARTTLS (RFC 6120 §5) on a plain connection whose features were read; returns the new features. */
    public Element startTls(SSLContext ctx, String domain) throws IOException {
        send("<starttls xmlns='" + Namespaces.TLS + "'/>");
        Element proceed = element();
        if (!proceed.is("proceed", Namespaces.TLS)) {
            throw new AssertionError("expected <proceed/>, got " + proceed.toXml());
        }
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, domain, socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
        return openAndReadFeatures(domain);
    }

    /** SASL PLAIN with an initial response; returns the server's {@code <success/>} or {@code <failure/>}. */
    public Element authPlain(String username, String password) throws IOException {
        byte[] msg = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='PLAIN'>" + Base64.getEncoder().encodeToString(msg) + "</auth>");
        return element();
    }

    /**
     * A full SCRAM exchange; returns the server's {@code <success/>} (whose server signature must
     * verify) or the {@code <failure/>} it answered with.
     */
    public Element authScram(String mechanism, String username, String password) throws IOException {
        ScramClient scram = new ScramClient(mechanism, username, password);
        send("<auth xmlns='" + Namespaces.SASL + "' mechanism='" + mechanism + "'>"
                + Base64.getEncoder().encodeToString(scram.clientFirst()) + "</auth>");
        Element challenge = element();
        if (!challenge.is("challenge", Namespaces.SASL)) {
            return challenge;
        }
        byte[] clientFinal = scram.clientFinal(Base64.getDecoder().decode(challenge.text().trim()));
        send("<response xmlns='" + Namespaces.SASL + "'>" + Base64.getEncoder().encodeToString(clientFinal) + "</response>");
        Element outcome = element();
        if (outcome.is("success", Namespaces.SASL)
                && !scram.verifyServerFinal(Base64.getDecoder().decode(outcome.text().trim()))) {
            throw new AssertionError("the server signature in <success/> does not verify");
        }
        return outcome;
    }

    /** Restarts the stream after SASL success and reads the new features. */
    public Element restart(String domain) throws IOException {
        return openAndReadFeatures(domain);
    }

    /** Sends a bind request (no resource element if {@code resource} is null) and returns the reply IQ. */
    public Element bind(String resource) throws IOException {
        send("<iq type='set' id='bind-1'><bind xmlns='" + Namespaces.BIND + "'>"
                + (resource == null ? "" : "<resource>" + resource + "</resource>") + "</bind></iq>");
        return element();
    }

    /** Authenticates with SCRAM-SHA-256, restarts and binds {@code resource}; returns the bound JID. */
    public String login(String domain, String username, String password, String resource) throws IOException {
        Element outcome = authScram("SCRAM-SHA-256", username, password);
        if (!outcome.is("success", Namespaces.SASL)) {
            throw new AssertionError("authentication failed: " + outcome.toXml());
        }
        restart(domain);
        Element reply = bind(resource);
        if (!"result".equals(reply.attr("type"))) {
            throw new AssertionError("bind failed: " + reply.toXml());
        }
        return reply.element("bind", Namespaces.BIND).childText("jid", Namespaces.BIND);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection; nothing to do
        }
        parser.finishAndReleaseAll();
    }
}
