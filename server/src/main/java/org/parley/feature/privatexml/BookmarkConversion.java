package org.parley.feature.privatexml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.parley.module.ModuleContext;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * Legacy bookmarks (XEP-0048 {@code <storage xmlns='storage:bookmarks'/>} in private storage) kept
 * in step with PEP native bookmarks (XEP-0402 §5.3, {@code urn:xmpp:bookmarks:1}, one item per room)
 * and with the legacy PEP node {@code storage:bookmarks} (XEP-0411).
 *
 * <p>The PEP node {@code urn:xmpp:bookmarks:1} is the one copy of the rooms: a legacy set publishes
 * what changed there (and retracts what is gone), and a legacy get is built from its items, so
 * what a modern client publishes is what a legacy client reads, with nothing written back. That
 * is why no round trip can start: the conversion writes PEP only when a client writes private
 * storage, and PEP never writes private storage. URL bookmarks, which XEP-0402 dropped, stay in
 * private storage and are added back to what a legacy get returns. The publishes go through
 * whichever module serves pubsub on accounts ({@link ModuleContext#onBehalfOf}), so its limits
 * apply and the user's other resources are notified. Without such a module, private storage is
 * all there is.
 */
final class BookmarkConversion {
    /** XEP-0411 §2 and XEP-0402 §5.3: advertised on the account. */
    static final String FEATURE = "urn:xmpp:bookmarks-conversion:0";
    static final String COMPAT = "urn:xmpp:bookmarks:1#compat";
    static final String LEGACY = "storage:bookmarks";
    static final String NATIVE = "urn:xmpp:bookmarks:1";
    private static final String PUBSUB = Namespaces.PUBSUB;
    /** XEP-0048 §3.3: the one item of the legacy PEP node. */
    private static final String LEGACY_ITEM = "current";

    private final ModuleContext ctx;

    BookmarkConversion(ModuleContext ctx) {
        this.ctx = ctx;
    }

    static boolean isLegacy(Element fragment) {
        return fragment.is("storage", LEGACY);
    }

    /**
     * The legacy bookmarks of {@code user}: the rooms of the native node and the URLs of
     * {@code stored}; {@code stored} alone while the native node does not exist or PEP is not served.
     */
    Element get(Jid user, Supplier<Element> stored) {
        Map<String, Element> rooms = nativeRooms(user);
        Element legacy = stored.get();
        if (rooms == null) {
            return legacy;
        }
        Element.Builder storage = Element.builder("storage", LEGACY);
        rooms.forEach((jid, conference) -> storage.child(legacyConference(jid, conference)));
        if (legacy != null) {
            storage.children(legacy.elements("url", LEGACY));
        }
        return storage.build();
    }

    /** A client stored {@code storage}: the rooms go to the native node, the whole to the legacy PEP node. */
    void set(Jid user, Element storage) {
        Map<String, Element> current = nativeRooms(user);
        if (current == null && !served(user)) {
            return;
        }
        Map<String, Element> wanted = new LinkedHashMap<>();
        for (Element c : storage.elements("conference", LEGACY)) {
            Jid room = Jid.parseOrNull(c.attr("jid"));
            if (room != null && room.local() != null && room.resource() == null) {
                Element old = current == null ? null : current.get(room.toString());
                wanted.put(room.toString(), nativeConference(c, old));
            }
        }
        for (Map.Entry<String, Element> e : wanted.entrySet()) {
            Element old = current == null ? null : current.get(e.getKey());
            if (!e.getValue().equals(old)) {
                publish(user, NATIVE, e.getKey(), e.getValue());
            }
        }
        if (current != null) {
            for (String gone : current.keySet()) {
                if (!wanted.containsKey(gone)) {
                    retract(user, gone);
                }
            }
        }
        publish(user, LEGACY, LEGACY_ITEM, storage);
    }

    /** Room JID to its native {@code <conference/>}; null when the node does not exist or PEP is not served. */
    private Map<String, Element> nativeRooms(Jid user) {
        Element result;
        try {
            result = ctx.onBehalfOf(user, false, pubsub(Element.builder("items", PUBSUB).attr("node", NATIVE).build()));
        } catch (StanzaErrorException e) {
            if (e.error().condition() == Condition.ITEM_NOT_FOUND || e.error().condition() == Condition.SERVICE_UNAVAILABLE) {
                return null;
            }
            throw e;
        }
        Map<String, Element> rooms = new LinkedHashMap<>();
        Element items = result == null ? null : result.element("items", PUBSUB);
        for (Element item : items == null ? List.<Element>of() : items.elements("item", PUBSUB)) {
            Element conference = item.element("conference", NATIVE);
            if (item.attr("id") != null && conference != null) {
                rooms.put(item.attr("id"), conference);
            }
        }
        return rooms;
    }

    /** Whether any module serves pubsub on accounts. */
    private boolean served(Jid user) {
        try {
            ctx.onBehalfOf(user, false, pubsub(Element.builder("items", PUBSUB).attr("node", LEGACY).build()));
            return true;
        } catch (StanzaErrorException e) {
            return e.error().condition() != Condition.SERVICE_UNAVAILABLE;
        }
    }

    /** XEP-0402 §3 from XEP-0048 §3.2; the {@code <extensions/>} another client stored are kept. */
    private static Element nativeConference(Element legacy, Element old) {
        Element.Builder b = Element.builder("conference", NATIVE);
        if (legacy.attr("name") != null) {
            b.attr("name", legacy.attr("name"));
        }
        String autojoin = legacy.attr("autojoin");
        if ("true".equals(autojoin) || "1".equals(autojoin)) {
            b.attr("autojoin", "true");
        }
        b.textChild("nick", NATIVE, legacy.childText("nick", LEGACY));
        b.textChild("password", NATIVE, legacy.childText("password", LEGACY));
        Element extensions = old == null ? null : old.element("extensions", NATIVE);
        if (extensions != null) {
            b.child(extensions);
        }
        return b.build();
    }

    private static Element legacyConference(String jid, Element conference) {
        Element.Builder b = Element.builder("conference", LEGACY).attr("jid", jid);
        if (conference.attr("name") != null) {
            b.attr("name", conference.attr("name"));
        }
        String autojoin = conference.attr("autojoin");
        b.attr("autojoin", "true".equals(autojoin) || "1".equals(autojoin) ? "true" : "false");
        b.textChild("nick", LEGACY, conference.childText("nick", NATIVE));
        b.textChild("password", LEGACY, conference.childText("password", NATIVE));
        return b.build();
    }

    /**
     * Publishes one item with the storage profile of XEP-0223 (private, persistent, as many items
     * as allowed). A node whose owner configured it otherwise keeps that configuration: when the
     * options do not match, the item goes in without them.
     */
    private void publish(Jid user, String node, String id, Element payload) {
        Element item = Element.builder("item", PUBSUB).attr("id", id).child(payload).build();
        Element publish = Element.builder("publish", PUBSUB).attr("node", node).child(item).build();
        try {
            ctx.onBehalfOf(user, true, pubsub(publish, privateOptions()));
        } catch (StanzaErrorException e) {
            if (e.error().condition() != Condition.CONFLICT) {
                throw e;
            }
            ctx.onBehalfOf(user, true, pubsub(publish));
        }
    }

    private void retract(Jid user, String room) {
        try {
            ctx.onBehalfOf(user, true, pubsub(Element.builder("retract", PUBSUB).attr("node", NATIVE).attr("notify", "true")
                    .child(Element.builder("item", PUBSUB).attr("id", room).build()).build()));
        } catch (StanzaErrorException e) {
            if (e.error().condition() != Condition.ITEM_NOT_FOUND) {
                throw e; // gone already is what was wanted
            }
        }
    }

    private static Element privateOptions() {
        DataForm form = DataForm.of(DataForm.Type.SUBMIT, PUBSUB + "#publish-options",
                Field.of("pubsub#persist_items", "true"),
                Field.of("pubsub#max_items", "max"),
                Field.of("pubsub#send_last_published_item", "never"),
                Field.of("pubsub#access_model", "whitelist"));
        return Element.builder("publish-options", PUBSUB).child(form.toElement()).build();
    }

    private static Element pubsub(Element... children) {
        Element.Builder b = Element.builder("pubsub", PUBSUB);
        for (Element c : children) {
            b.child(c);
        }
        return b.build();
    }
}
