package org.parley.feature.caps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.parley.xml.Element;

/**
 * The XEP-0115 §5.1 verification string of a disco#info result and its hash, with the §5.4
 * checks that make a result unusable (duplicate identities, features or form types).
 */
public final class VerificationString {
    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String DATA = "jabber:x:data";

    private VerificationString() {
    }

    /** The string S of §5.1, or null when §5.4 says the result must not be used. */
    public static String of(Element query) {
        StringBuilder s = new StringBuilder();
        List<String[]> identities = new ArrayList<>();
        for (Element i : query.elements("identity", DISCO_INFO)) {
            identities.add(new String[] {nz(i.attr("category")), nz(i.attr("type")), nz(i.attr("xml:lang")),
                    nz(i.attr("name"))});
        }
        identities.sort(Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1])
                .thenComparing(a -> a[2]).thenComparing(a -> a[3]));
        Set<String> seen = new HashSet<>();
        for (String[] i : identities) {
            String line = i[0] + "/" + i[1] + "/" + i[2] + "/" + i[3];
            if (!seen.add(line)) {
                return null;
            }
            s.append(line).append('<');
        }
        List<String> features = features(query);
        if (new HashSet<>(features).size() != features.size()) {
            return null;
        }
        features.stream().sorted().forEach(f -> s.append(f).append('<'));
        List<Element> forms = new ArrayList<>();
        Set<String> formTypes = new HashSet<>();
        for (Element x : query.elements("x", DATA)) {
            Element type = formType(x);
            if (type == null) {
                continue; // no FORM_TYPE: not part of the hash
            }
            if (!"hidden".equals(type.attr("type"))) {
                continue; // §5.4 3.6: ignore the form, keep the rest
            }
            if (!formTypes.add(type.childText("value", DATA))) {
                return null;
            }
            forms.add(x);
        }
        forms.sort(Comparator.comparing(x -> nz(formType(x).childText("value", DATA))));
        for (Element x : forms) {
            s.append(nz(formType(x).childText("value", DATA))).append('<');
            List<Element> fields = new ArrayList<>();
            for (Element f : x.elements("field", DATA)) {
                if (!"FORM_TYPE".equals(f.attr("var"))) {
                    fields.add(f);
                }
            }
            fields.sort(Comparator.comparing(f -> nz(f.attr("var"))));
            for (Element f : fields) {
                s.append(nz(f.attr("var"))).append('<');
                List<String> values = new ArrayList<>();
                for (Element v : f.elements("value", DATA)) {
                    values.add(v.text());
                }
                values.stream().sorted().forEach(v -> s.append(v).append('<'));
            }
        }
        return s.toString();
    }

    /** The features of a disco#info result, in document order. */
    public static List<String> features(Element query) {
        List<String> features = new ArrayList<>();
        for (Element f : query.elements("feature", DISCO_INFO)) {
            features.add(nz(f.attr("var")));
        }
        return features;
    }

    /** Base64 of the hash of S; null when the result is unusable or the algorithm unknown. */
    public static String ver(Element query, String hash) {
        String s = of(query);
        if (s == null) {
            return null;
        }
        try {
            MessageDigest md = MessageDigest.getInstance(hash.toUpperCase(Locale.ROOT));
            return Base64.getEncoder().encodeToString(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Whether Java knows the hash function by its IANA name (sha-1, sha-256, ...). */
    public static boolean supported(String hash) {
        try {
            MessageDigest.getInstance(hash.toUpperCase(Locale.ROOT));
            return true;
        } catch (NoSuchAlgorithmException e) {
            return false;
        }
    }

    private static Element formType(Element x) {
        for (Element f : x.elements("field", DATA)) {
            if ("FORM_TYPE".equals(f.attr("var"))) {
                return f;
            }
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
