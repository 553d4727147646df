/**
 * XML for XMPP streams: the immutable {@link org.parley.xml.Element} tree, the Netty stream
 * decoder ({@link org.parley.xml.XmlStreamDecoder}) and encoder
 * ({@link org.parley.xml.XmlEncoder}).
 *
 * <p>Implements the stream framing of RFC 6120 (March 2011) §4 (XML streams: opening header,
 * first-level elements, closing tag, stream restarts) and the XML restrictions of §11: UTF-8
 * only, no comments, processing instructions, DTDs or entity references other than the five
 * predefined ones; problems map onto the {@code not-well-formed}, {@code restricted-xml},
 * {@code policy-violation} and {@code invalid-namespace} stream errors.
 */
package org.parley.xml;
