package org.parley.feature.admin;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.parley.feature.adhoc.Command;
import org.parley.xmpp.Jid;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/** One XEP-0133 command: its node under {@code http://jabber.org/protocol/admin#}, its form, its work. */
record AdminCommand(String node, String name, Predicate<Jid> admins, String title, List<Field> fields,
                    BiFunction<Jid, DataForm, Outcome> work) implements Command {
    static final String FORM_TYPE = "http://jabber.org/protocol/admin";

    static AdminCommand of(String action, String name, Predicate<Jid> admins, List<Field> fields,
                           BiFunction<Jid, DataForm, Outcome> work) {
        return new AdminCommand(FORM_TYPE + "#" + action, name, admins, name, List.copyOf(fields), work);
    }

    @Override
    public boolean allowed(Jid requester) {
        return admins.test(requester);
    }

    @Override
    public DataForm form(Jid requester) {
        if (fields.isEmpty()) {
            return null;
        }
        DataForm form = DataForm.of(DataForm.Type.FORM, FORM_TYPE, fields);
        return new DataForm(form.type(), title, form.instructions(), form.fields(), form.reported(), form.items());
    }

    @Override
    public Outcome complete(Jid requester, DataForm submitted) {
        return work.apply(requester, submitted);
    }

    /** A required field of {@code type} with a label. */
    static Field field(Field.Type type, String var, String label) {
        return new Field(var, type, label, null, true, List.of(), List.of());
    }

    /** A result form with the admin FORM_TYPE. */
    static DataForm result(Field... fields) {
        return DataForm.of(DataForm.Type.RESULT, FORM_TYPE, fields);
    }
}
