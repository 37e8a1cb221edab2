package dev.obscura.transport.spool;

/**
 * A snapshot of a {@link SpoolingSegmentStore}'s counters since it was opened. Object counts
 * and byte counts are of payload (the objects as committed), not of spool files.
 *
 * <p><b>Security guarantees:</b> counters and a one-line error only; no object contents.
 *
 * <p><b>Restrictions:</b> counters restart at zero when the spool is reopened; the durable
 * record of drops is {@code drops.log} in the spool directory.
 *
 * <p><b>Sample:</b> {@code if (spool.stats().dropped() > 0) warnOwner(spool.stats());}
 *
 * @param pending objects committed (acknowledged) and not yet uploaded, including one in flight
 * @param pendingBytes their bytes
 * @param uploaded objects uploaded to the remote store and removed from the spool
 * @param uploadedBytes their bytes
 * @param dropped segments dropped unuploaded because the spool was over its cap; each one is
 *     also logged at WARN, passed to {@link SpoolListener#dropped} and appended to
 *     {@code drops.log} in the spool directory
 * @param droppedBytes their bytes
 * @param rejected writes refused at commit because the spool was full of objects it may not
 *     drop (the caller got a {@link SpoolFullException}: they were never acknowledged)
 * @param superseded queued objects not uploaded because a newer commit of the same name
 *     replaced them (not a loss: the newer version is uploaded instead)
 * @param consecutiveFailures failed upload attempts since the last success
 * @param lastError one line describing the last upload failure, or null after a success
 */
public record SpoolStats(
    long pending,
    long pendingBytes,
    long uploaded,
    long uploadedBytes,
    long dropped,
    long droppedBytes,
    long rejected,
    long superseded,
    int consecutiveFailures,
    String lastError) {}
