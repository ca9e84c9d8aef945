package io.orchestry.gateway.audit;

import java.time.Instant;
import java.util.List;

/**
 * The audit log as stored: appended to, completed once, read newest first. Every method fails with
 * the error a caller should see: UNAVAILABLE when the database cannot be reached, INVALID_ARGUMENT
 * for a value it cannot hold.
 */
public interface AuditRepository {
    /** A record without an outcome yet; returns its id (ids grow with time). */
    long begin(Instant at, String requestId, String actor, String organization, String method, String path,
               String targetType, String targetId);

    /** Sets the outcome; a null {@code targetId} keeps the one {@link #begin} wrote. */
    void complete(long id, String targetId, String targetOrganization, int status);

    /** Re-labels every record of organization {@code from} (as actor's or as target's) as {@code to}. */
    void renameOrganization(String from, String to);

    /** Records matching the query with ids below {@code beforeId}, newest first, at most {@code limit}. */
    List<AuditRecord> find(AuditQuery query, long beforeId, int limit);
}
