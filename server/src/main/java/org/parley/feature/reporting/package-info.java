/**
 * XEP-0377 Spam Reporting 0.4 ({@code urn:xmpp:reporting:1}; renamed "Blocking Command Reports"
 * in 0.4.1): a {@code <report reason='…'/>} inside an item of a XEP-0191 {@code <block/>}
 * request. The block is carried out exactly as without the report (§4); once it succeeded, each
 * item's report — the reason URI ({@code urn:xmpp:reporting:spam}, {@code urn:xmpp:reporting:abuse}
 * or another, kept as given), the reporter's {@code <text/>} (cut to {@code reporting.maxTextChars})
 * and the XEP-0359 {@code <stanza-id/>}s of the messages it is about — is stored for the operator,
 * who reads them with {@code parley reports}, and logged at INFO. The server announces
 * {@code urn:xmpp:reporting:1} in its disco#info.
 *
 * <p>Reports are bounded per reporting account ({@code reporting.maxPerUser}): blocking and
 * unblocking over and over cannot fill the disk; past the bound the block still holds and the report
 * is not kept (logged). Reports are not forwarded to other servers (there is no federation yet).
 *
 * <p>Storage: {@link ReportStore}, implemented by {@link SqlReportStore}; its table comes from this
 * feature's own migrations, {@code db/reporting/<dialect>}, and references the reporting account,
 * so a removed account's reports go with it.
 */
package org.parley.feature.reporting;
