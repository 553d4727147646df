/**
 * Message processing hints: XEP-0334 "Message Processing Hints" 0.3 ({@code urn:xmpp:hints}),
 * which the sender adds to ask that a message not be archived ({@code <no-permanent-store/>}),
 * not be stored at all ({@code <no-store/>}), not be copied to other resources
 * ({@code <no-copy/>}), or be stored although it carries no body ({@code <store/>}).
 */
package org.parley.xmpp.hints;
