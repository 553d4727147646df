package org.parley.feature.upload;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The slots and files of the upload service. */
public interface UploadStore {

    /**
     * Records a new slot unless the owner's slots and files would then hold more than
     * {@code quotaBytes}; returns whether it was recorded.
     */
    boolean add(Upload slot, long quotaBytes);

    Optional<Upload> get(String id);

    /** Marks the slot's file as uploaded; false when it was already (a second PUT). */
    boolean markUploaded(String id, Instant at);

    /** Forgets a slot or file. */
    void remove(String id);

    /** Slots given before {@code createdBefore} whose upload was never seen; at most {@code limit}. */
    List<Upload> unused(Instant createdBefore, int limit);

    /** The ids of files uploaded before {@code uploadedBefore}; at most {@code limit}. */
    List<String> uploadedBefore(Instant uploadedBefore, int limit);

    /** Ids of removed accounts' files whose bytes are still to be deleted; at most {@code limit}. */
    List<String> orphans(int limit);

    /** Forgets an orphan whose bytes are deleted. */
    void forgetOrphan(String id);
}
