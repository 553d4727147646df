package org.parley.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.smack.roster.packet.RosterPacket.Item;
import org.jivesoftware.smack.roster.rosterstore.RosterStore;
import org.jxmpp.jid.Jid;

/**
 * A client-side roster store (XEP-0237) that is safe when Smack reads and writes it from two
 * threads at once, as it does when a roster result and the pushes after it arrive together.
 * Smack's own {@code DirectoryRosterStore} is not: reading an entry file while a push rewrites it
 * fails to parse, and Smack then deletes the file, so an entry the server pushed goes missing on
 * the client whatever the server did.
 */
final class MemoryRosterStore implements RosterStore {
    private final Map<Jid, Item> entries = new ConcurrentHashMap<>();
    private volatile String version = "";

    @Override
    public List<Item> getEntries() {
        return new ArrayList<>(entries.values());
    }

    @Override
    public Item getEntry(Jid bareJid) {
        return entries.get(bareJid);
    }

    @Override
    public String getRosterVersion() {
        return version;
    }

    @Override
    public synchronized boolean addEntry(Item item, String ver) {
        entries.put(item.getJid(), item);
        version = ver;
        return true;
    }

    @Override
    public synchronized boolean resetEntries(Collection<Item> items, String ver) {
        entries.clear();
        items.forEach(i -> entries.put(i.getJid(), i));
        version = ver;
        return true;
    }

    @Override
    public synchronized boolean removeEntry(Jid bareJid, String ver) {
        entries.remove(bareJid);
        version = ver;
        return true;
    }

    @Override
    public void resetStore() {
        resetEntries(List.of(), "");
    }
}
