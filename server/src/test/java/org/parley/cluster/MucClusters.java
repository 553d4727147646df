package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.parley.testing.Clients;

/** Helpers of the group chat cluster tests: Smack's XEP-0045 client against rooms owned by one node of several. */
final class MucClusters {
    static final String SERVICE = "conference." + ClusterTestNodes.DOMAIN;

    private MucClusters() {
    }

    static XMPPTCPConnection login(Clients clients, String user) throws Exception {
        return login(clients, user, "muc");
    }

    static XMPPTCPConnection login(Clients clients, String user, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(clients.builder()
                .setUsernameAndPassword(user, user + "-pw").setResource(resource).build());
        c.setReplyTimeout(10_000);
        c.connect().login();
        return c;
    }

    static EntityBareJid room(String name) {
        return JidCreate.entityBareFromOrThrowUnchecked(name + "@" + SERVICE);
    }

    static Resourcepart nick(String nick) {
        return Resourcepart.fromOrThrowUnchecked(nick);
    }

    static MultiUserChat muc(XMPPTCPConnection c, String room) {
        return MultiUserChatManager.getInstanceFor(c).getMultiUserChat(room(room));
    }

    /** The presences the room sends {@code c}, collected from before it joins. */
    static BlockingQueue<Presence> presences(XMPPTCPConnection c, String room) {
        BlockingQueue<Presence> q = new LinkedBlockingQueue<>();
        c.addAsyncStanzaListener(s -> q.add((Presence) s), s -> s instanceof Presence
                && s.getFrom() != null && s.getFrom().asBareJid().equals(room(room)));
        return q;
    }

    /** Waits for the room's presence of {@code nick}: available, or unavailable when {@code gone}. */
    static Presence presenceOf(BlockingQueue<Presence> q, String nick, boolean gone, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Presence p = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(p).as("the presence of " + nick + (gone ? " leaving" : " joining")).isNotNull();
            if (p.getFrom().getResourceOrEmpty().toString().equals(nick) && (p.getType() == Presence.Type.unavailable) == gone) {
                return p;
            }
        }
    }

    /**
     * Waits for the room's presences of all of {@code nicks} joined, in any order: XEP-0045 §7.2.3
     * orders only the joiner's own presence (last), not the other occupants'.
     */
    static void joinedPresences(BlockingQueue<Presence> q, long seconds, String... nicks) throws Exception {
        java.util.Set<String> missing = new java.util.HashSet<>(java.util.List.of(nicks));
        List<String> seen = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!missing.isEmpty()) {
            Presence p = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(p).as("the presences of " + missing + " joining (seen: " + seen + ")").isNotNull();
            seen.add(p.toXML().toString());
            if (p.getType() != Presence.Type.unavailable) {
                missing.remove(p.getFrom().getResourceOrEmpty().toString());
            }
        }
    }

    /** The next groupchat message with a body, within {@code seconds}. */
    static Message next(MultiUserChat muc, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Message m;
        do {
            m = muc.nextMessage(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } while (m != null && m.getBody() == null);
        assertThat(m).as("a message in " + muc.getRoom()).isNotNull();
        return m;
    }

    static List<String> bodies(MultiUserChat muc, int count) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(next(muc, 10).getBody());
        }
        return out;
    }

    /** XEP-0410: pings one's own occupant JID; throws the room's error when not joined. */
    static void selfPing(XMPPTCPConnection c, String room, String nick) throws Exception {
        c.createStanzaCollectorAndSend(new Ping(c, JidCreate.from(room(room) + "/" + nick))).nextResultOrThrow();
    }

    /** Retries {@code check} for up to 10 s while it fails: for what a client learns a little later. */
    static void eventually(Runnable check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** The status codes of a room presence. */
    static boolean hasStatus(Presence p, MUCUser.Status status) {
        MUCUser x = MUCUser.from(p);
        return x != null && x.getStatus().contains(status);
    }
}
