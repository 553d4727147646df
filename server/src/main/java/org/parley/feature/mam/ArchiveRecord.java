package org.parley.feature.mam;

/**
 * One archived message, as kept for both ends of a conversation.
 *
 * @param id the XEP-0359 stanza-id, time-ordered
 * @param sender the sender's username when the sender's archive keeps it, else null
 * @param recipient the recipient's username when the recipient's archive keeps it, else null
 * @param fromJid the sender's bare JID; {@code fromResource} its resource or null
 * @param toJid the recipient's bare JID; {@code toResource} its resource or null
 * @param body the text searched by full-text queries, or null
 * @param stanza the message as the sender sent it (without server stanza-ids)
 */
public record ArchiveRecord(long id, String sender, String recipient, String fromJid, String fromResource,
                            String toJid, String toResource, String body, String stanza) {
}
