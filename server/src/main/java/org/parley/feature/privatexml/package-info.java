/**
 * XEP-0049 Private XML Storage 1.2 ({@code jabber:iq:private}): an account keeps XML fragments on
 * the server, one per (namespace, element name), readable and writable only by the account
 * itself. Reserved namespaces ({@code jabber:*}, {@code http://jabber.org/*}, {@code vcard-temp})
 * are refused with {@code not-acceptable}, as §2.3 allows; a fragment is at most
 * {@code private.maxItemBytes} and an account's fragments together at most
 * {@code private.maxBytesPerUser}.
 *
 * <p>Legacy bookmarks (XEP-0048 {@code storage:bookmarks}) are converted as XEP-0402 §5 and
 * XEP-0411 describe (see {@link BookmarkConversion}).
 *
 * <p>Storage: {@link PrivateStore}, implemented by {@link SqlPrivateStore}; its table comes from
 * this feature's own migrations, {@code db/private/<dialect>}, and references the account, so it
 * goes with a removed account.
 */
package org.parley.feature.privatexml;
