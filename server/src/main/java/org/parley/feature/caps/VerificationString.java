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
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * The XEP-0115 §5.1 verification string of a disco#info result and its hash, with the §5.4
 * checks that make a result unusable (duplicate identities, features or form types).
 */
public final class VerificationString {
    private VerificationString() {
    }

    /** The string S of §5.1, or null when §5.4 says the result must not be used. */
    public static String of(Element query) {
        StringBuilder s = new StringBuilder();
        List<String[]> identities = new ArrayList<>();
        for (Element i : query.elements("identity", Namespaces.DISCO_INFO)) {
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
        List<DataForm> forms = new ArrayList<>();
        Set<String> formTypes = new HashSet<>();
        List<DataForm> extensions;
        try {
            extensions = DataForm.in(query);
        } catch (StanzaErrorException e) {
            return null; // a form XEP-0004 does not allow: the result cannot be hashed as the client meant
        }
        for (DataForm x : extensions) {
            Field type = x.field(DataForm.FORM_TYPE);
            if (type == null) {
                continue; // no FORM_TYPE: not part of the hash
            }
            if (type.type() != Field.Type.HIDDEN) {
                continue; // §5.4 3.6: ignore the form, keep the rest
            }
            if (!formTypes.add(nz(type.value()))) {
                return null;
            }
            forms.add(x);
        }
        forms.sort(Comparator.comparing(x -> nz(x.value(DataForm.FORM_TYPE))));
        for (DataForm x : forms) {
            s.append(nz(x.value(DataForm.FORM_TYPE))).append('<');
            List<Field> fields = new ArrayList<>();
            for (Field f : x.fields()) {
                if (!DataForm.FORM_TYPE.equals(f.var())) {
                    fields.add(f);
                }
            }
            fields.sort(Comparator.comparing(f -> nz(f.var())));
            for (Field f : fields) {
                s.append(nz(f.var())).append('<');
                f.values().stream().sorted().forEach(v -> s.append(v).append('<'));
            }
        }
        return s.toString();
    }

    /** The features of a disco#info result, in document order. */
    public static List<String> features(Element query) {
        List<String> features = new ArrayList<>();
        for (Element f : query.elements("feature", Namespaces.DISCO_INFO)) {
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
