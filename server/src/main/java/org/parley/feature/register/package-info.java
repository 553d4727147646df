/**
 * In-Band Registration (XEP-0077 2.4): account creation before authentication (when enabled),
 * password change and cancellation, which removes the account and all its data. Registration is
 * limited per address and per hour, or needs an invitation: Pre-Authenticated In-Band
 * Registration (XEP-0445 0.2.0, tokens in the {@code urn:xmpp:pars:0} namespace of XEP-0379 0.3.3),
 * with the invitations XEP-0401 describes made by {@code parley invite create}; an invitation
 * from an account makes the inviter and the new account contacts, as XEP-0379 pre-approves.
 */
package org.parley.feature.register;
