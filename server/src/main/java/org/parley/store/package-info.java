/**
 * Storage interfaces of the server core, one per aggregate, and their immutable values.
 *
 * <p>What is kept follows the protocols that need it: SCRAM credentials (RFC 5802, RFC 7677),
 * the roster with subscription states and pending inbound subscription requests
 * (RFC 6121 §2 and §3), offline messages (RFC 6121 §8.5.2.2, XEP-0160 "Best Practices for
 * Handling Offline Messages" 1.0.1) and vCards (XEP-0054 "vcard-temp" 1.2).
 *
 * <p>Every method is synchronous, blocking and thread-safe: callers run them off the network
 * event loop. Usernames and JIDs passed in are already normalized (PRECIS, RFC 7622).
 * Anything a method returns normally has been durably committed. Failures of the underlying
 * database surface as {@link org.parley.store.StoreException}, which callers map to
 * {@code internal-server-error}.
 */
package org.parley.store;
