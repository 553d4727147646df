package org.parley.feature.pep;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.session.Session;
import org.parley.store.PubSubStore;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Stanza;

/**
 * XEP-0398 in the direction PEP → vCard: an account that published XEP-0084 avatar metadata has
 * its avatar id put into every available presence it sends, as the XEP-0153
 * {@code <x xmlns='vcard-temp:x:update'><photo/></x>}, so clients that only know vCard avatars
 * see the same avatar. An account without metadata keeps the presence its client sent.
 *
 * <p>Ids are cached per account; this node updates its entry when the owner publishes here, and
 * entries expire after {@link #TTL_MILLIS} so a publish on another cluster node shows up soon.
 */
final class AvatarPresence {
    static final String METADATA = "urn:xmpp:avatar:metadata";
    static final String VCARD_UPDATE = "vcard-temp:x:update";
    private static final long TTL_MILLIS = 30_000;
    private static final int MAX_CACHED = 100_000;

    /** The photo id ("" for no avatar) or null when the account has no metadata node. */
    private record Cached(String photo, long until) {
    }

    private final PubSubStore store;
    private final String domain;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    AvatarPresence(PubSubStore store, String domain, Clock clock) {
        this.store = store;
        this.domain = domain;
        this.clock = clock;
    }

    /** The owner published to a node; metadata updates the cached id at once. */
    void published(String owner, String node, Element payload) {
        if (METADATA.equals(node)) {
            put(owner, photo(payload));
        }
    }

    /** The owner deleted or purged a node. */
    void forget(String owner, String node) {
        if (METADATA.equals(node)) {
            cache.remove(owner);
        }
    }

    /** DELIVER hook: stamps the avatar id into available presence from local accounts. */
    Stanza deliver(Stanza s, Session target) {
        if (!s.isPresence() || s.type() != null || s.from() == null || s.from().local() == null
                || !domain.equals(s.from().domain())) {
            return s;
        }
        String photo = photo(s.from().local());
        if (photo == null) {
            return s;
        }
        Element update = Element.builder("x", VCARD_UPDATE)
                .child(Element.builder("photo", VCARD_UPDATE).text(photo.isEmpty() ? null : photo).build()).build();
        Element e = s.element().withoutChildren("x", VCARD_UPDATE).withChild(update);
        return s.withElement(e);
    }

    private String photo(String owner) {
        long now = clock.millis();
        Cached c = cache.get(owner);
        if (c != null && c.until() > now) {
            return c.photo();
        }
        List<PubSubStore.Item> last = store.config(owner, METADATA).isPresent() ? store.items(owner, METADATA, 1) : null;
        String photo = last == null ? null : last.isEmpty() ? "" : photo(XmlStrings.parse(last.get(0).payload()));
        put(owner, photo);
        return photo;
    }

    private void put(String owner, String photo) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(owner, new Cached(photo, clock.millis() + TTL_MILLIS));
    }

    /** XEP-0084 §4.2: the id of the first {@code <info/>}, "" for an empty metadata element (avatar disabled). */
    static String photo(Element metadata) {
        if (!metadata.is("metadata", METADATA)) {
            return "";
        }
        Element info = metadata.element("info", METADATA);
        String id = info == null ? null : info.attr("id");
        return id == null ? "" : id;
    }
}
