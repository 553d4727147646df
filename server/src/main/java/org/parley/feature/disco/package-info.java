/**
 * Service Discovery (XEP-0030 2.5): disco#info and disco#items for the server and for
 * accounts, listing exactly the identities and features the enabled modules announce.
 */
package org.parley.feature.disco;
