package org.parley.feature.reporting;

import java.util.List;

/** The abuse reports users attached to their block requests (XEP-0377), for the operator. */
public interface ReportStore {

    /**
     * Keeps a report unless its reporter already has {@code maxPerUser}; the check and the insert
     * are one transaction.
     *
     * @return false, keeping nothing, when the reporter has that many
     */
    boolean add(Report report, int maxPerUser);

    /** The newest reports first, at most {@code limit}. */
    List<Report> newest(int limit);
}
