/** XMPP Ping (XEP-0199 2.0.1): the server answers pings to itself and to accounts. */
package org.parley.feature.ping;
