/**
 * XEP-0163 Personal Eventing Protocol 1.2 on the subset of XEP-0060 Publish-Subscribe 1.26 it
 * needs, with XEP-0223 publish-options: every account is a pubsub service at its bare JID with
 * auto-created nodes, presence/open/whitelist access models, filtered notifications to resources
 * whose XEP-0115 capabilities carry {@code <node>+notify}, and the last published item for new
 * resources. XEP-0398 1.0 (User Avatar to vCard-Based Avatars Conversion): a published XEP-0084
 * avatar becomes the vCard photo, and its hash is stamped into outgoing presence as the XEP-0153
 * {@code vcard-temp:x:update} photo (the vCard-to-PEP direction is the vCard module's). Explicit
 * subscriptions are not supported.
 *
 * <p>Storage: {@link PubSubStore}, implemented by {@link SqlPubSubStore} on the server's database.
 * Its tables came with the core's first migrations; a change to them is a migration of this
 * feature's own, under {@code db/pep/<dialect>}.
 */
package org.parley.feature.pep;
