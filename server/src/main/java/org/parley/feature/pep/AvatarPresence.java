package org.parley.feature.pep;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.parley.module.InvalidatedCache;
import org.parley.module.Invalidations;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;

/**
 * XEP-0398 §4: an account with XEP-0084 avatar metadata has its avatar id put into every
 * available presence it sends (broadcast or directed), as the XEP-0153
 * {@code <x xmlns='vcard-temp:x:update'><photo/></x>}, so clients that only know vCard avatars
 * see the same avatar as PEP clients, whichever way it was set (a vCard photo is published as
 * PEP metadata). A presence whose client says it has no avatar ({@code <photo/>} empty) is left
 * alone, as §4 requires; an account without metadata keeps the presence its client sent.
 *
 * <p>Ids are cached per account and dropped on every node when the owner changes the metadata
 * node (through the invalidation topic, which crosses the cluster).
 */
final class AvatarPresence {
    static final String METADATA = Namespaces.AVATAR_METADATA;
    static final String VCARD_UPDATE = "vcard-temp:x:update";
    /** A safety net for an invalidation lost while a node was cut off from Redis. */
    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final int MAX_CACHED = 100_000;

    private final PubSubStore store;
    private final String domain;
    /** Owner to photo id ("" for a disabled avatar); empty when the account has no metadata node. */
    private final InvalidatedCache<Optional<String>> cache = new InvalidatedCache<>(MAX_CACHED, MAX_AGE);

    AvatarPresence(PubSubStore store, String domain) {
        this.store = store;
        this.domain = domain;
    }

    void listen(Invalidations invalidations) {
        cache.listen(invalidations, "pep-avatar");
    }

    /** The owner published to, deleted or purged a node; a change of the metadata reaches every node. */
    void changed(String owner, String node) {
        if (METADATA.equals(node)) {
            cache.changed(owner);
        }
    }

    /** DELIVER hook: stamps the avatar id into available presence from local accounts. */
    Stanza deliver(Stanza s, Session target) {
        if (!s.isPresence() || s.type() != null || s.from() == null || s.from().local() == null
                || !domain.equals(s.from().domain())) {
            return s;
        }
        Element sent = s.element().element("x", VCARD_UPDATE);
        Element sentPhoto = sent == null ? null : sent.element("photo", VCARD_UPDATE);
        if (sentPhoto != null && sentPhoto.text().isBlank()) {
            return s;
        }
        String photo = photo(s.from().local()).orElse(null);
        if (photo == null) {
            return s;
        }
        Element update = Element.builder("x", VCARD_UPDATE)
                .child(Element.builder("photo", VCARD_UPDATE).text(photo.isEmpty() ? null : photo).build()).build();
        Element e = s.element().withoutChildren("x", VCARD_UPDATE).withChild(update);
        return s.withElement(e);
    }

    private Optional<String> photo(String owner) {
        return cache.get(owner, this::load);
    }

    private Optional<String> load(String owner) {
        List<PubSubStore.Item> last = store.config(owner, METADATA).isPresent() ? store.items(owner, METADATA, 1) : null;
        return last == null ? Optional.empty()
                : Optional.of(last.isEmpty() ? "" : photo(XmlStrings.parse(last.get(0).payload())));
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
