/**
 * Data forms: XEP-0004 "Data Forms" 2.9 ({@code jabber:x:data}), the {@code FORM_TYPE}
 * conventions of XEP-0068 "Field Standardization for Data Forms" 1.2 and the service discovery
 * extensions of XEP-0128 "Service Discovery Extensions" 1.0. Every feature that reads or writes a
 * form (MAM queries, PEP node configuration and publish-options, push summaries, entity
 * capabilities, disco extended info) goes through {@link org.parley.xmpp.forms.DataForm}.
 *
 * <p>Parsing checks the structure XEP-0004 requires (a form type, a 'var' on every field that is
 * not fixed and unique within the form, one value per option) and answers anything else with
 * {@code bad-request}; what the values mean is for the using protocol to check.
 */
package org.parley.xmpp.forms;
