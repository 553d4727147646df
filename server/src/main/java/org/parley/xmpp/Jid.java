package org.parley.xmpp;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * An XMPP address, {@code localpart@domainpart/resourcepart} (RFC 7622). Immutable; the parts
 * are stored enforced (PRECIS UsernameCaseMapped for the localpart, OpaqueString for the
 * resourcepart, lower-cased IDNA for the domain) so equal addresses are equal strings.
 */
public final class Jid {
    private static final int MAX_PART_BYTES = 1023;

    private final String local;
    private final String domain;
    private final String resource;
    private final String string;
    // Computed on first use; a racy single check is enough, as Jid is immutable.
    private Jid bare;

    private Jid(String local, String domain, String resource, String string) {
        this.local = local;
        this.domain = domain;
        this.resource = resource;
        this.string = string;
    }

    private Jid(String local, String domain, String resource) {
        this.local = local;
        this.domain = domain;
        this.resource = resource;
        StringBuilder sb = new StringBuilder();
        if (local != null) {
            sb.append(local).append('@');
        }
        sb.append(domain);
        if (resource != null) {
            sb.append('/').append(resource);
        }
        this.string = sb.toString();
    }

    /** Parses and enforces a JID string; throws {@link JidFormatException} when invalid. */
    public static Jid of(String s) {
        if (s == null || s.isEmpty()) {
            throw new JidFormatException("empty JID");
        }
        int slash = s.indexOf('/');
        int end = slash < 0 ? s.length() : slash;
        int at = s.indexOf('@');
        if (at > end) {
            at = -1;
        }
        String resource = slash < 0 ? null : s.substring(slash + 1);
        String local = at < 0 ? null : s.substring(0, at);
        String domain = s.substring(at + 1, end);
        String l = local == null ? null : enforceLocal(local);
        String d = enforceDomain(domain);
        String r = resource == null ? null : enforceResource(resource);
        // Already in canonical form (the common case): the input is the string form.
        return l == local && d == domain && r == resource ? new Jid(l, d, r, s) : new Jid(l, d, r);
    }

    /** Parses, or returns null when the string is null or invalid. */
    public static Jid parseOrNull(String s) {
        if (s == null) {
            return null;
        }
        try {
            return of(s);
        } catch (JidFormatException e) {
            return null;
        }
    }

    public static Jid of(String local, String domain, String resource) {
        return new Jid(local == null ? null : enforceLocal(local), enforceDomain(domain),
                resource == null ? null : enforceResource(resource));
    }

    public static Jid domain(String domain) {
        return of(null, domain, null);
    }

    public static String enforceLocal(String local) {
        if (local.isEmpty()) {
            throw new JidFormatException("empty localpart");
        }
        if (isPlainAscii(local, false) && local.length() <= MAX_PART_BYTES) {
            return local;
        }
        String enforced;
        try {
            enforced = PrecisProfiles.USERNAME_CASE_MAPPED.enforce(local);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException("invalid localpart: " + e.getMessage());
        }
        for (int i = 0; i < enforced.length(); i++) {
            if ("\"&'/:<>@".indexOf(enforced.charAt(i)) >= 0) {
                throw new JidFormatException("localpart contains a forbidden character");
            }
        }
        checkLength(enforced, "localpart");
        return enforced;
    }

    public static String enforceResource(String resource) {
        if (resource.isEmpty()) {
            throw new JidFormatException("empty resourcepart");
        }
        if (isPlainAscii(resource, true) && resource.length() <= MAX_PART_BYTES) {
            return resource;
        }
        String enforced;
        try {
            enforced = PrecisProfiles.OPAQUE_STRING.enforce(resource);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException("invalid resourcepart: " + e.getMessage());
        }
        checkLength(enforced, "resourcepart");
        return enforced;
    }

    public static String enforceDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw new JidFormatException("empty domainpart");
        }
        // RFC 7622 §3.2: one final label separator is stripped; IDNA counts the full-width and
        // ideographic full stops as separators too (RFC 3490 §3.1).
        char last = domain.charAt(domain.length() - 1);
        String d = last == '.' || last == '\u3002' || last == '\uff0e' || last == '\uff61'
                ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty()) {
            throw new JidFormatException("empty domainpart");
        }
        if (isPlainHostname(d)) {
            return d;
        }
        if (d.startsWith("[") && d.endsWith("]")) {
            return d.toLowerCase(Locale.ROOT); // IPv6 literal
        }
        String ascii;
        try {
            ascii = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new JidFormatException("invalid domainpart: " + e.getMessage());
        }
        String lower = ascii.toLowerCase(Locale.ROOT);
        String enforced = IDN.toUnicode(lower);
        if (enforced.isEmpty() || enforced.endsWith(".")) {
            // What is left after the one stripped separator ends in an empty label ("a..").
            throw new JidFormatException("invalid domainpart: empty label");
        }
        // RFC 5891 §5.4: an A-label ("xn--...") must decode to a U-label that encodes back to
        // it; one that does not would make the JID's string form another JID, or none.
        try {
            if (!IDN.toASCII(enforced, IDN.USE_STD3_ASCII_RULES).equals(lower)) {
                throw new JidFormatException("invalid domainpart: an A-label that is not the encoding of its U-label");
            }
        } catch (IllegalArgumentException e) {
            throw new JidFormatException("invalid domainpart: " + e.getMessage());
        }
        checkLength(enforced, "domainpart");
        return enforced;
    }

    /**
     * The fast path for the common case. For printable ASCII (and, in a resourcepart, space)
     * with no upper-case letter, PRECIS UsernameCaseMapped and OpaqueString enforcement are the
     * identity (width mapping, case mapping and NFC change nothing, every such code point is
     * allowed), so the full PRECIS pass is skipped on the routing path. Forbidden localpart
     * characters fall through to the full check, which reports them.
     */
    private static boolean isPlainAscii(String s, boolean resource) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > 0x7e || c < (resource ? 0x20 : 0x21) || (c >= 'A' && c <= 'Z')
                    || (!resource && "\"&'/:<>@".indexOf(c) >= 0)) {
                return false;
            }
        }
        return !resource || s.charAt(0) != ' ';
    }

    /** Lower-case LDH labels are their own IDNA form: the common case skips {@link IDN}. */
    private static boolean isPlainHostname(String d) {
        if (d.length() > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0, n = d.length(); i <= n; i++) {
            char c = i == n ? '.' : d.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63 || d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static void checkLength(String part, String what) {
        if (part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) {
            throw new JidFormatException(what + " longer than " + MAX_PART_BYTES + " bytes");
        }
    }

    public String local() {
        return local;
    }

    public String domain() {
        return domain;
    }

    public String resource() {
        return resource;
    }

    public boolean isBare() {
        return resource == null;
    }

    public boolean isDomainOnly() {
        return local == null && resource == null;
    }

    public Jid bare() {
        if (resource == null) {
            return this;
        }
        Jid b = bare;
        if (b == null) {
            b = new Jid(local, domain, null, string.substring(0, string.length() - resource.length() - 1));
            bare = b;
        }
        return b;
    }

    /** The same address with another (already valid) resource; enforces it. */
    public Jid withResource(String newResource) {
        return new Jid(local, domain, newResource == null ? null : enforceResource(newResource));
    }

    public Jid domainJid() {
        return local == null && resource == null ? this : new Jid(null, domain, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Jid j && string.equals(j.string);
    }

    @Override
    public int hashCode() {
        return string.hashCode();
    }

    @Override
    public String toString() {
        return string;
    }

    /** True when both have the same bare address. */
    public boolean sameBare(Jid other) {
        return other != null && Objects.equals(local, other.local) && domain.equals(other.domain);
    }
}
