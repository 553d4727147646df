package org.parley.xmpp.forms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * One {@code <field/>} of a data form (XEP-0004 §3.2).
 *
 * @param var         the field's name; null only for a fixed field
 * @param type        null when the field carries no 'type' (usual in submitted forms)
 * @param label       null when absent
 * @param description the {@code <desc/>}, null when absent
 * @param values      the {@code <value/>}s in document order, as given (not trimmed)
 * @param options     the {@code <option/>}s of a list field
 */
public record Field(String var, Type type, String label, String description, boolean required, List<String> values,
                    List<Option> options) {
    public static final String NAMESPACE = DataForm.NAMESPACE;
    public static final String ELEMENT = "field";

    /** The field types of XEP-0004 §3.3. */
    public enum Type {
        BOOLEAN, FIXED, HIDDEN, JID_MULTI, JID_SINGLE, LIST_MULTI, LIST_SINGLE, TEXT_MULTI, TEXT_PRIVATE, TEXT_SINGLE;

        private final String xml = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String xmlValue() {
            return xml;
        }

        /** §3.3: text-single "MUST be assumed" for a type the receiver does not understand. */
        static Type parse(String value) {
            for (Type t : values()) {
                if (t.xml.equals(value)) {
                    return t;
                }
            }
            return TEXT_SINGLE;
        }
    }

    /** An {@code <option label='...'><value>...</value></option>} of a list field. */
    public record Option(String label, String value) {
        public Option(String value) {
            this(null, value);
        }
    }

    public Field {
        values = List.copyOf(values);
        options = List.copyOf(options);
        if (var == null && type != Type.FIXED) {
            throw new IllegalArgumentException("only a fixed field may have no var");
        }
    }

    /** A field with these values and no type, as a submitted form usually carries it. */
    public static Field of(String var, String... values) {
        return new Field(var, null, null, null, false, List.of(values), List.of());
    }

    /** A typed field with these values. */
    public static Field of(Type type, String var, String... values) {
        return new Field(var, type, null, null, false, List.of(values), List.of());
    }

    /** This field offering these options (a list-single or list-multi field). */
    public Field withOptions(List<Option> newOptions) {
        return new Field(var, type, label, description, required, values, newOptions);
    }

    public Field withLabel(String newLabel) {
        return new Field(var, type, newLabel, description, required, values, options);
    }

    /** The first value, or null when there is none. */
    public String value() {
        return values.isEmpty() ? null : values.get(0);
    }

    static Field from(Element e) {
        String var = e.attr("var");
        String typeAttr = e.attr("type");
        Type type = typeAttr == null ? null : Type.parse(typeAttr);
        if (var == null && type != Type.FIXED) {
            throw bad("a field that is not fixed needs a 'var'");
        }
        List<String> values = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        for (Element c : e.elements()) {
            if (!c.namespace().equals(DataForm.NAMESPACE)) {
                continue; // extensions such as XEP-0122 validation are not read
            }
            switch (c.name()) {
                case "value" -> values.add(c.text());
                case "option" -> {
                    List<Element> v = c.elements("value", DataForm.NAMESPACE);
                    if (v.size() != 1) {
                        throw bad("an option holds exactly one value");
                    }
                    options.add(new Option(c.attr("label"), v.get(0).text()));
                }
                default -> {
                    // desc and required are read below; other names are not XEP-0004's and are ignored
                }
            }
        }
        return new Field(var, type, e.attr("label"), e.childText("desc", DataForm.NAMESPACE),
                e.element("required", DataForm.NAMESPACE) != null, values, options);
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, DataForm.NAMESPACE)
                .attr("var", var)
                .attr("type", type == null ? null : type.xmlValue())
                .attr("label", label)
                .textChild("desc", DataForm.NAMESPACE, description);
        if (required) {
            b.child(Element.empty("required", DataForm.NAMESPACE));
        }
        for (String v : values) {
            b.textChild("value", DataForm.NAMESPACE, v);
        }
        for (Option o : options) {
            b.child(Element.builder("option", DataForm.NAMESPACE).attr("label", o.label())
                    .textChild("value", DataForm.NAMESPACE, o.value()).build());
        }
        return b.build();
    }

    static StanzaErrorException bad(String text) {
        return new StanzaErrorException(Condition.BAD_REQUEST, text);
    }
}
