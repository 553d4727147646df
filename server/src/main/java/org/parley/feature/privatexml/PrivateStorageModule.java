package org.parley.feature.privatexml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.IqRequest;
import org.parley.route.IqScope;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0049 private XML storage: see the package documentation. */
public final class PrivateStorageModule implements Module {
    public static final Option<Integer> MAX_ITEM_BYTES = Option.integer("maxItemBytes", 65_536, 256,
            16 * 1024 * 1024, "largest XEP-0049 fragment");
    public static final Option<Integer> MAX_BYTES_PER_USER = Option.integer("maxBytesPerUser", 1_048_576, 256,
            1024 * 1024 * 1024, "XEP-0049 fragments of one account together");

    private PrivateStore store;
    private int maxItemBytes;
    private int maxBytesPerUser;
    private BookmarkConversion bookmarks;

    @Override
    public String name() {
        return "private";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_ITEM_BYTES, MAX_BYTES_PER_USER);
    }

    @Override
    public void openStorage(Database database) {
        database.migrate(name());
        store = new SqlPrivateStore(database);
    }

    @Override
    public void start(ModuleContext ctx) {
        maxItemBytes = ctx.option(MAX_ITEM_BYTES);
        maxBytesPerUser = ctx.option(MAX_BYTES_PER_USER);
        bookmarks = new BookmarkConversion(ctx);
        QName query = new QName(PrivateQuery.NAMESPACE, PrivateQuery.ELEMENT);
        ctx.iqGet(IqScope.ACCOUNT, query, this::get);
        ctx.iqSet(IqScope.ACCOUNT, query, this::set);
        // Where clients and compliance checkers look for it (ejabberd and Prosody announce it too).
        ctx.features().serverFeature(PrivateQuery.NAMESPACE);
        ctx.features().accountFeature(BookmarkConversion.FEATURE);
        ctx.features().accountFeature(BookmarkConversion.COMPAT);
    }

    /** §2.3: only the account itself reads or writes its private data. */
    private static String owner(IqRequest r) {
        if (!r.isSelf()) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "private data is the account's own");
        }
        return r.target().local();
    }

    private Element get(IqRequest r) {
        String owner = owner(r);
        List<Element> asked = PrivateQuery.from(r.payload()).fragments();
        if (asked.size() != 1) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "ask for one element at a time");
        }
        Element wanted = asked.get(0);
        Element found;
        if (BookmarkConversion.isLegacy(wanted)) {
            found = bookmarks.get(r.from(), () -> stored(owner, wanted));
        } else {
            found = stored(owner, wanted);
        }
        // Nothing stored: the element as asked for, empty (what clients expect, and ejabberd and Prosody answer).
        return new PrivateQuery(List.of(found == null ? Element.empty(wanted.name(), wanted.namespace()) : found))
                .toElement();
    }

    private Element stored(String owner, Element wanted) {
        return store.get(owner, wanted.namespace(), wanted.name()).map(XmlStrings::parse).orElse(null);
    }

    private Element set(IqRequest r) {
        String owner = owner(r);
        List<PrivateStore.Fragment> fragments = new ArrayList<>();
        Element legacyBookmarks = null;
        for (Element f : PrivateQuery.from(r.payload()).fragments()) {
            String xml = f.toXml();
            if (xml.getBytes(StandardCharsets.UTF_8).length > maxItemBytes) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE,
                        "a fragment may be at most " + maxItemBytes + " bytes (private.maxItemBytes)");
            }
            // Two fragments with one name: the last one counts, as if sent one after the other.
            fragments.removeIf(p -> p.namespace().equals(f.namespace()) && p.element().equals(f.name()));
            fragments.add(new PrivateStore.Fragment(f.namespace(), f.name(), xml));
            if (BookmarkConversion.isLegacy(f)) {
                legacyBookmarks = f;
            }
        }
        if (legacyBookmarks != null) {
            // PEP first: when it refuses, nothing is stored and the client gets its error.
            bookmarks.set(r.from(), legacyBookmarks);
        }
        if (!store.put(owner, fragments, maxBytesPerUser)) {
            throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                    "an account's private data may be at most " + maxBytesPerUser + " bytes (private.maxBytesPerUser)");
        }
        return null;
    }
}
