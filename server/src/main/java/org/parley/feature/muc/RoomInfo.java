package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import org.parley.feature.mam.ServiceArchives;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/** A room's disco#info (XEP-0045 §6.4): identity, features by configuration, and the {@code muc#roominfo} form. */
final class RoomInfo {

    private RoomInfo() {
    }

    static Element info(Room room) {
        RoomConfig c = room.config();
        String name = c.name().isEmpty() ? room.jid().local() : c.name();
        Element.Builder q = Element.builder("query", Namespaces.DISCO_INFO)
                .child(Element.builder("identity", Namespaces.DISCO_INFO).attr("category", "conference")
                        .attr("type", "text").attr("name", name).build());
        List<String> features = new ArrayList<>(List.of(MucElements.MUC, Namespaces.STANZA_ID, OccupantIds.NAMESPACE,
                RoomRegistration.NAMESPACE, RoomModeration.MODERATE, RoomPush.NAMESPACE,
                c.publicRoom() ? "muc_public" : "muc_hidden",
                c.persistent() ? "muc_persistent" : "muc_temporary",
                c.membersOnly() ? "muc_membersonly" : "muc_open",
                c.moderated() ? "muc_moderated" : "muc_unmoderated",
                c.nonAnonymous() ? "muc_nonanonymous" : "muc_semianonymous",
                c.passwordProtected() ? "muc_passwordprotected" : "muc_unsecured"));
        if (room.archive().archived()) {
            features.addAll(ServiceArchives.features());
        }
        for (String f : features) {
            q.child(Element.builder("feature", Namespaces.DISCO_INFO).attr("var", f).build());
        }
        DataForm form = DataForm.of(DataForm.Type.RESULT, RoomConfig.INFO_FORM_TYPE,
                Field.of(Field.Type.TEXT_SINGLE, "muc#roominfo_description", c.description())
                        .withLabel("Description"),
                Field.of(Field.Type.TEXT_SINGLE, "muc#roominfo_subject", room.subject()).withLabel("Subject"),
                Field.of(Field.Type.TEXT_SINGLE, "muc#roominfo_occupants",
                        Integer.toString(room.occupants().size())).withLabel("Number of occupants"),
                Field.of(Field.Type.BOOLEAN, "muc#roominfo_changesubject", c.changeSubject() ? "1" : "0")
                        .withLabel("Occupants may change the subject"),
                Field.of(Field.Type.TEXT_SINGLE, RoomConfig.NAME, c.name()).withLabel("Room name"),
                Field.of(Field.Type.TEXT_SINGLE, RoomConfig.HISTORY, Integer.toString(c.historyLength()))
                        .withLabel("Messages of history sent on joining"));
        return q.child(form.toElement()).build();
    }
}
