package org.parley.feature.mam;

import java.util.Set;

/**
 * XEP-0313 §6 archiving preferences of one user.
 *
 * @param defaultMode always, never or roster
 * @param always bare JIDs whose messages are always kept
 * @param never bare JIDs whose messages are never kept (wins over always)
 */
public record ArchivePrefs(String defaultMode, Set<String> always, Set<String> never) {

    public ArchivePrefs {
        always = Set.copyOf(always);
        never = Set.copyOf(never);
    }
}
