/**
 * The {@code parley} command line: {@code start} and offline account administration
 * ({@code user add|remove|passwd|list}). Usernames are the localparts of RFC 7622 §3.3;
 * passwords become SCRAM credentials (RFC 5802, RFC 7677) before they reach the store.
 */
package org.parley.cli;
