package org.parley.feature.mam;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.JidFormatException;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;
import org.parley.xmpp.rsm.RsmSet;

/**
 * A MAM query as the client asked it (XEP-0313 §4): the data form's filters turned into id
 * bounds, and the XEP-0059 page (size, direction, starting point). Ids the client names must be in
 * its archive, else item-not-found (XEP-0313 §5.1.2).
 *
 * @param lower exclusive lower id bound, {@link Long#MIN_VALUE} for none
 * @param upper exclusive upper id bound, {@link Long#MAX_VALUE} for none
 * @param pageLower with RSM 'after': the page's own exclusive lower bound (not part of the count)
 * @param pageUpper with RSM 'before': the page's own exclusive upper bound
 * @param ids with the 'ids' field: exactly these messages
 */
record MamQuery(String queryId, Jid with, String fulltext, long lower, long upper, long pageLower, long pageUpper,
                int max, boolean backwards, boolean flip, List<Long> ids) {

    /**
     * @param exists whether an id is in the requester's archive
     */
    static MamQuery parse(Element query, int defaultPage, int maxPage, LongPredicate exists) {
        Jid with = null;
        String fulltext = null;
        long lower = Long.MIN_VALUE;
        long upper = Long.MAX_VALUE;
        List<Long> ids = null;
        Element x = query.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        for (Field field : x == null ? List.<Field>of() : DataForm.from(x).fields()) {
            String var = field.var();
            List<String> values = field.values();
            String value = values.isEmpty() ? null : values.get(0).trim();
            if (var == null) {
                continue; // a fixed field: text for people, no filter
            }
            if (value == null || value.isEmpty()) {
                if (!var.equals("ids")) {
                    continue; // an empty field filters nothing
                }
            }
            switch (var) {
                case DataForm.FORM_TYPE -> {
                    if (!value.equals(MamElements.NAMESPACE)) {
                        throw bad("FORM_TYPE must be " + MamElements.NAMESPACE);
                    }
                }
                case "with" -> with = jid(value);
                case "start" -> lower = Math.max(lower, ArchiveIds.firstAt(time(value, "start")) - 1);
                case "end" -> upper = Math.min(upper, ArchiveIds.firstAt(time(value, "end").plusMillis(1)));
                case "after-id" -> lower = Math.max(lower, known(value, exists));
                case "before-id" -> upper = Math.min(upper, known(value, exists));
                case "ids" -> {
                    ids = new ArrayList<>();
                    for (String v : values) {
                        ids.add(known(v.trim(), exists));
                    }
                    if (ids.size() > maxPage) {
                        throw new StanzaErrorException(Condition.POLICY_VIOLATION,
                                "at most " + maxPage + " ids per query");
                    }
                }
                case MamElements.FULLTEXT_FIELD -> fulltext = value;
                default -> throw bad("unsupported field '" + var + "'");
            }
        }
        int max = defaultPage;
        long pageLower = Long.MIN_VALUE;
        long pageUpper = Long.MAX_VALUE;
        boolean backwards = false;
        RsmSet set = RsmSet.in(query);
        if (set != null) {
            if (set.index() != null) {
                throw new StanzaErrorException(Condition.FEATURE_NOT_IMPLEMENTED, "paging by index is not supported");
            }
            if (set.max() != null) {
                max = Math.min(set.max(), maxPage);
            }
            if (set.after() != null) {
                pageLower = known(set.after().trim(), exists);
            }
            if (set.before() != null) {
                backwards = true;
                if (!set.before().isBlank()) {
                    pageUpper = known(set.before().trim(), exists);
                }
            }
        }
        boolean flip = query.element("flip-page", MamElements.NAMESPACE) != null;
        return new MamQuery(query.attr("queryid"), with, fulltext, lower, upper, pageLower, pageUpper, max, backwards,
                flip, ids);
    }

    /** This query of an archive whose messages up to {@code floor} are not to be shown (they belong to an entity gone before). */
    MamQuery above(long floor) {
        if (floor == Long.MIN_VALUE) {
            return this;
        }
        List<Long> kept = ids == null ? null : ids.stream().filter(id -> id > floor).toList();
        return new MamQuery(queryId, with, fulltext, Math.max(lower, floor), upper, pageLower, pageUpper, max,
                backwards, flip, kept);
    }

    private static long known(String value, LongPredicate exists) {
        long id = ArchiveIds.parse(value);
        if (id < 0 || !exists.test(id)) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no message " + value + " in the archive");
        }
        return id;
    }

    private static Jid jid(String value) {
        try {
            return Jid.of(value);
        } catch (JidFormatException e) {
            throw new StanzaErrorException(Condition.JID_MALFORMED, "'with' is not a JID");
        }
    }

    /** XEP-0082 date-time, e.g. 2010-08-07T00:00:00Z or with an offset and fractions. */
    private static Instant time(String value, String field) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("'" + field + "' must be an XEP-0082 date-time");
        }
    }

    private static StanzaErrorException bad(String text) {
        return new StanzaErrorException(Condition.BAD_REQUEST, text);
    }
}
