package org.parley.xmpp.forms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.parley.xml.Element;

/**
 * A data form ({@code <x xmlns='jabber:x:data'/>}, XEP-0004 §3): its type, title, instructions,
 * fields and, in a result, the reported fields and items of §3.4.
 *
 * @param title        null when absent
 * @param instructions each {@code <instructions/>} in order
 * @param reported     the {@code <reported/>} fields of a multi-item result; empty when absent
 * @param items        the {@code <item/>}s of a multi-item result
 */
public record DataForm(Type type, String title, List<String> instructions, List<Field> fields, List<Field> reported,
                       List<Item> items) {
    public static final String NAMESPACE = "jabber:x:data";
    public static final String ELEMENT = "x";
    /** XEP-0068 §3: the hidden field whose value names the form's context. */
    public static final String FORM_TYPE = "FORM_TYPE";

    /** The form types of XEP-0004 §3.1. */
    public enum Type {
        FORM, SUBMIT, CANCEL, RESULT;

        private final String xml = name().toLowerCase(Locale.ROOT);

        public String xmlValue() {
            return xml;
        }
    }

    /** One row of a multi-item result (§3.4). */
    public record Item(List<Field> fields) {
        public Item {
            fields = List.copyOf(fields);
        }
    }

    public DataForm {
        if (type == null) {
            throw new IllegalArgumentException("a data form has a type");
        }
        instructions = List.copyOf(instructions);
        fields = List.copyOf(fields);
        reported = List.copyOf(reported);
        items = List.copyOf(items);
    }

    /**
     * A form of these fields, its context named by a hidden FORM_TYPE field first (XEP-0068 §3;
     * none when {@code formType} is null).
     */
    public static DataForm of(Type type, String formType, List<Field> fields) {
        List<Field> all = new ArrayList<>(fields.size() + 1);
        if (formType != null) {
            all.add(Field.of(Field.Type.HIDDEN, FORM_TYPE, formType));
        }
        all.addAll(fields);
        return new DataForm(type, null, List.of(), all, List.of(), List.of());
    }

    /** As {@link #of(Type, String, List)}. */
    public static DataForm of(Type type, String formType, Field... fields) {
        return of(type, formType, List.of(fields));
    }

    /** Parses an {@code <x xmlns='jabber:x:data'/>}; a form XEP-0004 does not allow is a {@code bad-request}. */
    public static DataForm from(Element x) {
        if (!x.is(ELEMENT, NAMESPACE)) {
            throw Field.bad("not a data form");
        }
        Type type = type(x.attr("type"));
        String title = null;
        List<String> instructions = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<Field> reported = List.of();
        List<Item> items = new ArrayList<>();
        for (Element c : x.elements()) {
            if (!c.namespace().equals(NAMESPACE)) {
                continue;
            }
            switch (c.name()) {
                case "title" -> title = c.text();
                case "instructions" -> instructions.add(c.text());
                case Field.ELEMENT -> fields.add(Field.from(c));
                case "reported" -> reported = fields(c);
                case "item" -> items.add(new Item(fields(c)));
                default -> {
                    // not XEP-0004's: ignored, as unknown extensions are
                }
            }
        }
        requireUniqueVars(fields);
        return new DataForm(type, title, instructions, fields, reported, items);
    }

    /** Every data form directly inside {@code parent}, e.g. the XEP-0128 extensions of a disco#info result. */
    public static List<DataForm> in(Element parent) {
        List<DataForm> forms = new ArrayList<>();
        for (Element x : parent.elements(ELEMENT, NAMESPACE)) {
            forms.add(from(x));
        }
        return forms;
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, NAMESPACE).attr("type", type.xmlValue())
                .textChild("title", NAMESPACE, title);
        for (String i : instructions) {
            b.textChild("instructions", NAMESPACE, i);
        }
        for (Field f : fields) {
            b.child(f.toElement());
        }
        if (!reported.isEmpty()) {
            b.child(Element.builder("reported", NAMESPACE).children(elements(reported)).build());
        }
        for (Item item : items) {
            b.child(Element.builder("item", NAMESPACE).children(elements(item.fields())).build());
        }
        return b.build();
    }

    /** The field named {@code var}, or null. */
    public Field field(String var) {
        for (Field f : fields) {
            if (var.equals(f.var())) {
                return f;
            }
        }
        return null;
    }

    /** The first value of the field named {@code var}, or null when there is no such field or value. */
    public String value(String var) {
        Field f = field(var);
        return f == null ? null : f.value();
    }

    /**
     * The form's context (XEP-0068 §3): the value of its FORM_TYPE field when that field is hidden,
     * or, in a submitted form, carries no type (it answers a form where it was hidden, and clients
     * leave types out of what they submit: XEP-0068 §4.4's example does). A FORM_TYPE of any other
     * type "MUST be ignored as a context indicator" (§4.3): null then, as when there is none.
     */
    public String formType() {
        Field f = field(FORM_TYPE);
        if (f == null) {
            return null;
        }
        boolean hidden = f.type() == Field.Type.HIDDEN || (f.type() == null && type == Type.SUBMIT);
        return hidden ? f.value() : null;
    }

    private static Type type(String value) {
        if (value == null) {
            throw Field.bad("a data form needs a 'type'");
        }
        for (Type t : Type.values()) {
            if (t.xml.equals(value)) {
                return t;
            }
        }
        throw Field.bad("unknown data form type '" + value + "'");
    }

    private static List<Field> fields(Element parent) {
        List<Field> out = new ArrayList<>();
        for (Element f : parent.elements(Field.ELEMENT, NAMESPACE)) {
            out.add(Field.from(f));
        }
        requireUniqueVars(out);
        return out;
    }

    /** §3.2: a 'var' "uniquely identifies the field in the context of the form". */
    private static void requireUniqueVars(List<Field> fields) {
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (f.var() != null && !seen.add(f.var())) {
                throw Field.bad("two fields named '" + f.var() + "'");
            }
        }
    }

    private static List<Element> elements(List<Field> fields) {
        return fields.stream().map(Field::toElement).toList();
    }
}
