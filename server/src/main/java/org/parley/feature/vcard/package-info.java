/** vcard-temp (XEP-0054 1.2): each account's vCard, set by its owner, readable by anyone. */
package org.parley.feature.vcard;
