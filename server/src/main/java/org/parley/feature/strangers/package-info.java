/**
 * Messages between people who do not know each other, against spam; not a XEP. "Known" means a
 * contact — a roster item with a subscription either way, or one the user asked to subscribe to
 * (RFC 6121 §2.1.2) — or someone the user wrote to within {@code strangers.conversationTtl} (so
 * replies pass), or whose held messages the user delivered. Messages here are chat, normal and
 * headline messages between accounts; the server, its services and components at its subdomains
 * (group chat rooms and their private messages), one's own account, errors and groupchat
 * messages are never a stranger's.
 *
 * <ul>
 *   <li>{@code strangers.maxMessages} per {@code strangers.window} (OUTBOUND, FILTER): messages
 *       with a body one account sends to people who do not know it — neither its contacts nor
 *       people who wrote to it first. One past the limit bounces with {@code policy-violation},
 *       type {@code wait}; nothing else of the session changes. On by default, so one account
 *       cannot spam thousands of strangers.</li>
 *   <li>{@code strangers.policy} (INBOUND, FILTER), off ({@code deliver}) by default: with
 *       {@code refuse} a stranger's message with a body bounces with {@code policy-violation},
 *       type {@code modify} (subscribe first), and one without a body (a chat state, a receipt)
 *       is dropped; with {@code hold} a stranger's message with a body is kept, with a XEP-0203
 *       delay stamp, in the {@code held_messages} table (at most {@code strangers.maxHeldPerUser}
 *       per account, beyond which they are refused as above; deleted after
 *       {@code strangers.holdFor}), and the user reads it through the XEP-0050 command
 *       {@code urn:parley:strangers#held} on the server: the form lists the senders with how many
 *       messages each and when the latest came; the user delivers their messages to the resource
 *       running the command (which makes those senders known) or discards them. Held messages
 *       are not archived (XEP-0313) until delivered, and not then either: they reach the client
 *       as delivered messages with their delay stamp. The command is offered only while the policy is
 *       {@code hold}; what was held under it and not fetched is deleted after {@code strangers.holdFor}
 *       all the same.</li>
 * </ul>
 *
 * <p>The memory of conversations and the send counts are per node, bounded
 * ({@code strangers.maxConversations}); the roster is read per message under hold and refuse,
 * and cached for a minute by the send limit.
 *
 * <p>Storage: {@link HeldStore}, implemented by {@link SqlHeldStore}; its table comes from this
 * feature's own migrations, {@code db/strangers/<dialect>}, and references the account.
 */
package org.parley.feature.strangers;
