package org.parley.feature.reporting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * One abuse report (XEP-0377 §4): who reported whom, why, in the reporter's words, and which of
 * the messages they received it is about.
 *
 * @param reporter   the reporting account (its username)
 * @param jid        the reported JID, as the block item names it (normalised)
 * @param reason     the {@code reason} attribute as given ({@link #SPAM}, {@link #ABUSE} or
 *                   another URI); null when the client gave none
 * @param text       the reporter's explanation, at most the configured length; null when absent
 * @param stanzaIds  the XEP-0359 stanza-ids of the messages reported, each {@code by id}
 * @param reportedAt when the server received it
 */
public record Report(String reporter, String jid, String reason, String text, List<String> stanzaIds,
                     Instant reportedAt) {
    public static final String NAMESPACE = "urn:xmpp:reporting:1";
    public static final String ELEMENT = "report";
    public static final String SPAM = "urn:xmpp:reporting:spam";
    public static final String ABUSE = "urn:xmpp:reporting:abuse";

    public Report {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(reportedAt, "reportedAt");
        stanzaIds = List.copyOf(stanzaIds);
    }

    /**
     * Reads the {@code <report/>} of one block item. Unknown children are ignored (§4: servers
     * tolerate them); nothing in a report makes the block fail, so a malformed one is read as far
     * as it goes.
     *
     * @param maxTextChars the reporter's text is cut to this many characters
     */
    public static Report from(String reporter, String jid, Element report, int maxTextChars, Instant now) {
        String reason = report.attr("reason");
        String text = null;
        for (Element t : report.elements("text", NAMESPACE)) {
            String value = t.text().strip();
            if (!value.isEmpty()) {
                text = value.length() > maxTextChars ? value.substring(0, maxTextChars) : value;
                break;
            }
        }
        List<String> ids = new ArrayList<>();
        for (Element sid : report.elements("stanza-id", Namespaces.STANZA_ID)) {
            if (sid.attr("id") != null && ids.size() < MAX_STANZA_IDS) {
                ids.add((sid.attr("by") == null ? "" : sid.attr("by")) + " " + sid.attr("id"));
            }
        }
        return new Report(reporter, jid, reason == null || reason.isBlank() ? null : reason, text, ids, now);
    }

    /** Stanza-ids kept per report: enough to point at a conversation, not a copy of the archive. */
    static final int MAX_STANZA_IDS = 50;

    /** The reports in the items of a {@code <block/>} request, in order. */
    static List<Report> in(String reporter, Element block, int maxTextChars, Instant now,
                           java.util.function.UnaryOperator<String> normalise) {
        List<Report> reports = new ArrayList<>();
        for (Element item : block.elements("item", block.namespace())) {
            Element report = item.element(ELEMENT, NAMESPACE);
            String jid = item.attr("jid");
            if (report != null && jid != null) {
                reports.add(from(reporter, normalise.apply(jid), report, maxTextChars, now));
            }
        }
        return reports;
    }
}
