package org.parley.feature.pep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.xml.Element;

/** The bits of XEP-0004 data forms that node configuration and publish-options use. */
final class DataForm {
    static final String NAMESPACE = "jabber:x:data";

    private DataForm() {
    }

    /** The first value of each field of a submitted form, FORM_TYPE included. */
    static Map<String, String> values(Element x) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Element f : x.elements("field", NAMESPACE)) {
            String var = f.attr("var");
            if (var != null) {
                String v = f.childText("value", NAMESPACE);
                m.put(var, v == null ? "" : v.trim());
            }
        }
        return m;
    }

    /** A field for a form the server sends: {type, var, value, options...}. */
    record Field(String type, String var, String value, List<String> options) {
        Field(String type, String var, String value) {
            this(type, var, value, List.of());
        }
    }

    static Element form(String type, String formType, List<Field> fields) {
        List<Element> children = new ArrayList<>();
        children.add(Element.builder("field", NAMESPACE).attr("var", "FORM_TYPE").attr("type", "hidden")
                .textChild("value", NAMESPACE, formType).build());
        for (Field f : fields) {
            Element.Builder b = Element.builder("field", NAMESPACE).attr("var", f.var()).attr("type", f.type());
            for (String o : f.options()) {
                b.child(Element.builder("option", NAMESPACE).textChild("value", NAMESPACE, o).build());
            }
            if (f.value() != null) {
                b.textChild("value", NAMESPACE, f.value());
            }
            children.add(b.build());
        }
        return Element.builder("x", NAMESPACE).attr("type", type).children(children).build();
    }
}
