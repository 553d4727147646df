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
        String beforeResource = slash < 0 ? s : s.substring(0, slash);
        String resource = slash < 0 ? null : s.substring(slash + 1);
        int at = beforeResource.indexOf('@');
        String local = at < 0 ? null : beforeResource.substring(0, at);
        String domain = at < 0 ? beforeResource : beforeResource.substring(at + 1);
        return of(local, domain, resource);
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
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty()) {
            throw new JidFormatException("empty domainpart");
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
        String enforced = IDN.toUnicode(ascii.toLowerCase(Locale.ROOT));
        checkLength(enforced, "domainpart");
        return enforced;
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
        return resource == null ? this : new Jid(local, domain, null);
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
