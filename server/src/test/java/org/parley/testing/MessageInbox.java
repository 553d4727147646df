package org.parley.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A logged-in Smack client that queues every message it receives, in arrival order. It listens
 * from before login, so messages the server pushes at initial presence (offline storage) are
 * not missed.
 */
public final class MessageInbox implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final XMPPTCPConnection connection;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

    private MessageInbox(XMPPTCPConnection connection) {
        this.connection = connection;
        // A synchronous listener: Smack calls these in the order the stanzas arrived.
        connection.addSyncStanzaListener(s -> messages.add((Message) s), s -> s instanceof Message);
    }

    /** Connects, listens, logs in (Smack then sends initial presence) and waits until the server has handled it. */
    public static MessageInbox login(Clients clients, String user, String password, String resource)
            throws Exception {
        return login(clients, user, password, resource, WAIT);
    }

    /** The same with a longer wait for each answer, e.g. from a node just started in its own JVM on a loaded machine. */
    public static MessageInbox login(Clients clients, String user, String password, String resource,
                                     Duration replyTimeout) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(clients.builder()
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .build());
        c.setReplyTimeout(replyTimeout.toMillis());
        MessageInbox inbox = new MessageInbox(c);
        c.connect().login();
        inbox.sync();
        return inbox;
    }

    public XMPPTCPConnection connection() {
        return connection;
    }

    /** This client's full JID. */
    public Jid jid() {
        return connection.getUser();
    }

    /**
     * A round trip to the server: a session's stanzas are processed in order, so everything this
     * client sent before has been routed (and stored, if offline) when this returns.
     */
    public void sync() throws Exception {
        if (!PingManager.getInstanceFor(connection).pingMyServer(true, 5000)) {
            throw new AssertionError("no answer to a ping from the server");
        }
    }

    /** Sends a message of the given type and body. */
    public void send(String to, Message.Type type, String body) throws Exception {
        connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                .to(jid(to)).ofType(type).setBody(body).build());
    }

    public void sendChat(String to, String body) throws Exception {
        send(to, Message.Type.chat, body);
    }

    /**
     * Sends {@code text} to {@code other} and waits for it there: the check the abuse tests make
     * that two innocent clients keep chatting.
     */
    public void chatWith(MessageInbox other, String text) throws Exception {
        sendChat(other.jid().toString(), text);
        String got = other.next().getBody();
        if (!text.equals(got)) {
            throw new AssertionError(other.jid() + " received \"" + got + "\" instead of \"" + text + "\"");
        }
    }

    /** The next message received, failing after a few seconds. */
    public Message next() throws InterruptedException {
        Message m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError(connection.getUser() + " received no message within " + WAIT);
        }
        return m;
    }

    /** The next message, or null if none comes within {@code wait}. */
    public Message poll(Duration wait) throws InterruptedException {
        return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Jid jid(String jid) {
        try {
            return JidCreate.from(jid);
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException(jid, e);
        }
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
