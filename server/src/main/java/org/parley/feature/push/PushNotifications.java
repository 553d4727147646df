package org.parley.feature.push;

import org.parley.xmpp.Jid;

/**
 * What other features may ask of push (XEP-0357): notify an account's registered app servers of
 * a message it missed, under the same throttle and summary as its one-to-one messages. The group
 * chat service uses it for members who asked to be notified of a room's messages while they are
 * not in it. Made by {@link PushModule}; does nothing until that module has started.
 */
public final class PushNotifications {
    private volatile PushNotifier notifier;
    private volatile Jid server;

    PushNotifications() {
    }

    void start(PushNotifier pushNotifier, Jid serverJid) {
        this.server = serverJid;
        this.notifier = pushNotifier;
    }

    /**
     * {@code user} (an account of this server; anything else is ignored) missed a message from
     * {@code sender}: its app servers are told, off the caller's thread.
     */
    public void missed(Jid user, Jid sender, String body) {
        PushNotifier n = notifier;
        if (n != null && user.local() != null && user.domain().equals(server.domain())) {
            n.messageMissed(user.local(), sender, body);
        }
    }
}
