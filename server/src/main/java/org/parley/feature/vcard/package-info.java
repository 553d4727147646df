/**
 * vcard-temp (XEP-0054 1.2): each account's vCard, set by its owner, readable by anyone. XEP-0398
 * 1.0 §3.2: a vCard photo is published as the owner's XEP-0084 avatar through the server's PEP
 * service, and a vCard without one disables it.
 */
package org.parley.feature.vcard;
