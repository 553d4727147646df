/**
 * In-Band Registration (XEP-0077 2.4): account creation before authentication (when enabled),
 * password change and cancellation, which removes the account and all its data.
 */
package org.parley.feature.register;
