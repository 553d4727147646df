/**
 * The storage interfaces the core and several features share, and their immutable values: SCRAM
 * credentials (RFC 5802, RFC 7677), the roster with subscription states and pending inbound
 * subscription requests (RFC 6121 §2 and §3) and vCards (XEP-0054 "vcard-temp" 1.2). A store
 * that one feature alone uses (the archive, offline messages, PEP nodes, block lists, ...) is in
 * that feature's package, built on {@link org.parley.store.sql.Database}.
 *
 * <p>Every method is synchronous, blocking and thread-safe: callers run them off the network
 * event loop. Usernames and JIDs passed in are already normalized (PRECIS, RFC 7622).
 * Anything a method returns normally has been durably committed. Failures of the underlying
 * database surface as {@link org.parley.store.StoreException}, which callers map to
 * {@code internal-server-error}.
 */
package org.parley.store;
