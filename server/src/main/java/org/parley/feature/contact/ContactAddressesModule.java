package org.parley.feature.contact;

import java.util.ArrayList;
import java.util.List;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * Puts the configured contact addresses in the server's disco#info (XEP-0157 §2), one list-multi
 * field per kind that has any; with none configured the server's disco#info carries no form.
 */
public final class ContactAddressesModule implements Module {
    public static final String FORM_TYPE = "http://jabber.org/network/serverinfo";

    /** The kinds of §3 (the XMPP Registrar's fields of the form), in the order README lists them. */
    public static final List<Option<List<String>>> KINDS = List.of(
            Option.uriList("abuse", "where abuse of the service is reported (XEP-0157), e.g. mailto: and xmpp: URIs"),
            Option.uriList("admin", "the service's administrators (XEP-0157)"),
            Option.uriList("feedback", "where feedback about the service goes (XEP-0157)"),
            Option.uriList("sales", "the service's sales contacts (XEP-0157)"),
            Option.uriList("security", "where security issues are reported (XEP-0157)"),
            Option.uriList("status", "where the service's status is announced (XEP-0157)"),
            Option.uriList("support", "where users get support (XEP-0157)"));

    @Override
    public String name() {
        return "contact";
    }

    @Override
    public List<Option<?>> options() {
        return List.copyOf(KINDS);
    }

    @Override
    public void start(ModuleContext ctx) {
        List<Field> fields = new ArrayList<>();
        for (Option<List<String>> kind : KINDS) {
            List<String> uris = ctx.option(kind);
            if (!uris.isEmpty()) {
                fields.add(Field.of(Field.Type.LIST_MULTI, kind.name() + "-addresses", uris.toArray(String[]::new)));
            }
        }
        if (!fields.isEmpty()) {
            ctx.features().serverExtendedInfo(DataForm.of(DataForm.Type.RESULT, FORM_TYPE, fields).toElement());
        }
    }
}
