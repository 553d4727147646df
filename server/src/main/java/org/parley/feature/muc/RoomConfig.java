package org.parley.feature.muc;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * A room's configuration (XEP-0045 §10.2), immutable, and its mapping to and from the
 * {@code muc#roomconfig} data form (§15.5.3). A submitted form changes only the fields it
 * carries; a value the room cannot take is {@code not-acceptable}, a form that is not a
 * {@code muc#roomconfig} submission {@code bad-request}.
 *
 * @param name          the room's natural-language name; empty when unset
 * @param description   a short description; empty when unset
 * @param persistent    whether the room stays when its last occupant leaves
 * @param publicRoom    whether the service lists the room in its disco#items
 * @param membersOnly   whether only members (and higher) may enter
 * @param moderated     whether only occupants with voice may speak (others enter as visitors)
 * @param password      the password to enter, null when there is none
 * @param nonAnonymous  whether every occupant sees occupants' real JIDs (else only moderators do)
 * @param maxUsers      most occupants at once; owners and admins enter past it
 * @param changeSubject whether participants may change the subject (moderators always may)
 * @param allowInvites  whether participants may invite others (admins and owners always may)
 * @param allowPm       who may send private messages: anyone, participants, moderators, none
 * @param historyLength most messages sent to a joining occupant as history
 * @param publicLogging whether occupants are told the room's messages are logged publicly (status 170)
 */
public record RoomConfig(String name, String description, boolean persistent, boolean publicRoom,
                         boolean membersOnly, boolean moderated, String password, boolean nonAnonymous,
                         int maxUsers, boolean changeSubject, boolean allowInvites, String allowPm,
                         int historyLength, boolean publicLogging) {
    public static final String FORM_TYPE = "http://jabber.org/protocol/muc#roomconfig";
    public static final String INFO_FORM_TYPE = "http://jabber.org/protocol/muc#roominfo";
    static final List<String> PM_CHOICES = List.of("anyone", "participants", "moderators", "none");

    static final String NAME = "muc#roomconfig_roomname";
    static final String DESCRIPTION = "muc#roomconfig_roomdesc";
    static final String PERSISTENT = "muc#roomconfig_persistentroom";
    static final String PUBLIC = "muc#roomconfig_publicroom";
    static final String MEMBERS_ONLY = "muc#roomconfig_membersonly";
    static final String MODERATED = "muc#roomconfig_moderatedroom";
    static final String PASSWORD_PROTECTED = "muc#roomconfig_passwordprotectedroom";
    static final String SECRET = "muc#roomconfig_roomsecret";
    static final String WHOIS = "muc#roomconfig_whois";
    static final String MAX_USERS = "muc#roomconfig_maxusers";
    static final String CHANGE_SUBJECT = "muc#roomconfig_changesubject";
    static final String ALLOW_INVITES = "muc#roomconfig_allowinvites";
    static final String ALLOW_PM = "muc#roomconfig_allowpm";
    static final String HISTORY = "muc#maxhistoryfetch";
    static final String LOGGING = "muc#roomconfig_enablelogging";

    public RoomConfig {
        name = name == null ? "" : name;
        description = description == null ? "" : description;
        password = password == null || password.isEmpty() ? null : password;
        if (!PM_CHOICES.contains(allowPm)) {
            throw new IllegalArgumentException("allowPm is one of " + PM_CHOICES);
        }
    }

    /**
     * An instant room's configuration (§10.1.2): temporary, public, open, unmoderated,
     * semi-anonymous, without password; occupants may talk privately, moderators set the subject.
     */
    public static RoomConfig defaults(int maxUsers, int historyLength) {
        return new RoomConfig("", "", false, true, false, false, null, false, maxUsers, false, false, "anyone",
                historyLength, false);
    }

    public boolean passwordProtected() {
        return password != null;
    }

    /** The configuration form an owner fills in (§10.2), showing the current values. */
    public DataForm toForm(int maxUsersLimit, int historyLimit) {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.of(Field.Type.TEXT_SINGLE, NAME, name).withLabel("Room name"));
        fields.add(Field.of(Field.Type.TEXT_SINGLE, DESCRIPTION, description).withLabel("Description"));
        fields.add(bool(PERSISTENT, persistent, "Keep the room when it is empty"));
        fields.add(bool(PUBLIC, publicRoom, "List the room publicly"));
        fields.add(bool(MEMBERS_ONLY, membersOnly, "Only members may enter"));
        fields.add(bool(MODERATED, moderated, "Only occupants with voice may speak"));
        fields.add(bool(PASSWORD_PROTECTED, passwordProtected(), "A password is needed to enter"));
        fields.add(Field.of(Field.Type.TEXT_PRIVATE, SECRET, password == null ? "" : password).withLabel("Password"));
        fields.add(Field.of(Field.Type.LIST_SINGLE, WHOIS, nonAnonymous ? "anyone" : "moderators")
                .withLabel("Who may see occupants' real addresses")
                .withOptions(List.of(new Field.Option("moderators"), new Field.Option("anyone"))));
        fields.add(Field.of(Field.Type.TEXT_SINGLE, MAX_USERS, Integer.toString(maxUsers))
                .withLabel("Most occupants (at most " + maxUsersLimit + ")"));
        fields.add(bool(CHANGE_SUBJECT, changeSubject, "Participants may change the subject"));
        fields.add(bool(ALLOW_INVITES, allowInvites, "Participants may invite others"));
        fields.add(Field.of(Field.Type.LIST_SINGLE, ALLOW_PM, allowPm).withLabel("Who may send private messages")
                .withOptions(PM_CHOICES.stream().map(Field.Option::new).toList()));
        fields.add(Field.of(Field.Type.TEXT_SINGLE, HISTORY, Integer.toString(historyLength))
                .withLabel("Messages of history sent on joining (at most " + historyLimit + ")"));
        fields.add(bool(LOGGING, publicLogging, "Tell occupants the room is logged publicly"));
        return DataForm.of(DataForm.Type.FORM, FORM_TYPE, fields);
    }

    /** This configuration as the store keeps it: a submitted form of every field, as XML. */
    String toStored() {
        DataForm form = toForm(Integer.MAX_VALUE, Integer.MAX_VALUE);
        return new DataForm(DataForm.Type.SUBMIT, null, List.of(), form.fields(), List.of(), List.of())
                .toElement().toXml();
    }

    /**
     * A stored configuration read back; a value the service's limits no longer allow (an
     * operator lowered {@code muc.maxOccupants}) is brought within them.
     */
    static RoomConfig fromStored(String xml, MucLimits limits) {
        DataForm form = DataForm.from(XmlStrings.parse(xml));
        RoomConfig c = defaults(limits.maxUsers(), limits.historyKept()).apply(form, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        return new RoomConfig(c.name(), c.description(), c.persistent(), c.publicRoom(), c.membersOnly(),
                c.moderated(), c.password(), c.nonAnonymous(), Math.min(c.maxUsers(), limits.maxUsers()),
                c.changeSubject(), c.allowInvites(), c.allowPm(), Math.min(c.historyLength(), limits.historyKept()),
                c.publicLogging());
    }

    private static Field bool(String var, boolean value, String label) {
        return Field.of(Field.Type.BOOLEAN, var, value ? "1" : "0").withLabel(label);
    }

    /**
     * This configuration changed by a submitted {@code muc#roomconfig} form; fields it does not
     * carry keep their values.
     */
    public RoomConfig apply(DataForm form, int maxUsersLimit, int historyLimit) {
        if (form.type() != DataForm.Type.SUBMIT || !FORM_TYPE.equals(form.formType())) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "expected a submitted " + FORM_TYPE + " form");
        }
        boolean protect = bool(form, PASSWORD_PROTECTED, passwordProtected());
        String secret = text(form, SECRET, password);
        if (protect && (secret == null || secret.isEmpty())) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "a password-protected room needs a password");
        }
        String whois = text(form, WHOIS, nonAnonymous ? "anyone" : "moderators");
        if (!whois.equals("anyone") && !whois.equals("moderators")) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, WHOIS + " is anyone or moderators");
        }
        String pm = text(form, ALLOW_PM, allowPm);
        if (!PM_CHOICES.contains(pm)) {
            throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, ALLOW_PM + " is one of " + PM_CHOICES);
        }
        return new RoomConfig(text(form, NAME, name), text(form, DESCRIPTION, description),
                bool(form, PERSISTENT, persistent), bool(form, PUBLIC, publicRoom),
                bool(form, MEMBERS_ONLY, membersOnly), bool(form, MODERATED, moderated),
                protect ? secret : null, whois.equals("anyone"),
                number(form, MAX_USERS, maxUsers, maxUsersLimit), bool(form, CHANGE_SUBJECT, changeSubject),
                bool(form, ALLOW_INVITES, allowInvites), pm, number(form, HISTORY, historyLength, historyLimit),
                bool(form, LOGGING, publicLogging));
    }

    private static String text(DataForm form, String var, String current) {
        Field f = form.field(var);
        if (f == null) {
            return current;
        }
        return f.value() == null ? "" : f.value();
    }

    private static boolean bool(DataForm form, String var, boolean current) {
        Field f = form.field(var);
        if (f == null || f.value() == null) {
            return current;
        }
        return switch (f.value().trim()) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, var + " is a boolean");
        };
    }

    /** A number from 1 (0 for history) to {@code limit}; "none" (no limit of the room's own) is the limit. */
    private static int number(DataForm form, String var, int current, int limit) {
        Field f = form.field(var);
        if (f == null || f.value() == null) {
            return current;
        }
        String v = f.value().trim();
        if (v.equals("none")) {
            return limit;
        }
        int min = var.equals(HISTORY) ? 0 : 1;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= limit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, var + " must be " + min + " to " + limit);
    }
}
