/**
 * XEP-0363 HTTP File Upload (version 1.1.0, namespace {@code urn:xmpp:http:upload:0}) at the
 * service domain {@code upload.<domain>}.
 *
 * <p>A local account asks the service for a slot ({@link SlotRequest}: file name, size, content
 * type); the service checks the size against {@code upload.maxFileSize} (else {@code not-acceptable}
 * with {@code <file-too-large><max-file-size/>}) and the user's files against
 * {@code upload.userQuotaMb} (else {@code resource-constraint}), records the slot and answers with
 * a PUT and a GET URL under {@code http.publicUrl}: {@code /upload/<id>/<name>}, where the id is
 * 128 random bits. The PUT is accepted once, within {@code upload.slotTimeout}, with exactly the
 * slot's size and content type (else 4xx and nothing is stored); its body streams to the
 * {@link BlobStore} and is kept only when it arrived whole. GET serves the file with range
 * requests, its content type, {@code Content-Disposition} and caching headers. Files older than
 * {@code upload.expireAfter} are deleted, and a removed account's files go with it.
 *
 * <p>Where the bytes live is {@code upload.storage} ({@link UploadStorage}): the server's disk
 * ({@link FileBlobStore}), or S3-compatible object storage ({@link S3BlobStore}), where the PUT URL
 * is the store's own, pre-signed over the slot's size and type, and the GET URL redirects to a
 * pre-signed download, so the bytes never pass through the server. A cluster must use the latter.
 */
package org.parley.feature.upload;
