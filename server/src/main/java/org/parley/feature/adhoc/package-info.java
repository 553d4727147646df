/**
 * XEP-0050 Ad-Hoc Commands 1.3 ({@code http://jabber.org/protocol/commands}) on the server's
 * domain: the commands other modules register ({@link Command}) are listed in disco#items of the
 * commands node to those who may run them, and run through {@code execute}, {@code complete} and
 * {@code cancel} with XEP-0004 forms, one session ({@code sessionid}) per run that needs a form.
 * Sessions belong to the full JID that started them, expire after {@code adhoc.sessionTimeout}
 * and are at most {@code adhoc.maxSessions} at once.
 */
package org.parley.feature.adhoc;
