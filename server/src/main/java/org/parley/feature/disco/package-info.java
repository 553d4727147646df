/**
 * Service Discovery (XEP-0030 2.5): disco#info and disco#items for the server, for accounts and
 * for the service domains modules host, listing exactly the identities and features the enabled
 * modules announce, with a service's XEP-0128 (1.0) extended information forms; the server's
 * items are its service domains and external components (§4).
 */
package org.parley.feature.disco;
