package io.orchestry.controlloop;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.UnavailableException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Refuses a deposed leader's late write. A leader learns it was deposed only at its next check, an
 * interval later; meanwhile another replica may lead and write. So every write a leader-only loop
 * makes checks, inside its own transaction, that {@code leader_epoch} still holds the epoch the
 * writer was elected with. {@code FOR SHARE} keeps the row locked until the writing transaction
 * ends: a new leader's acquisition (which updates the row) waits for it, so a write that passed
 * the check cannot commit after a newer leader began.
 */
public final class Fence {
    /** SQLSTATE undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    private Fence() {
    }

    /**
     * Refuses the write unless {@code leader_epoch} still holds {@code epoch} for the election.
     *
     * @param tx           the writing transaction's connection (not in autocommit: the share lock
     *                     must last until the write commits)
     * @param electionName {@link Leadership#name()}
     * @param epoch        the epoch the writer leads under ({@link Leadership#heldEpoch()})
     * @throws FailedPreconditionException when the leadership has moved on (or was never held)
     * @throws UnavailableException        when the database does not answer
     */
    public static void check(Connection tx, String electionName, long epoch) {
        check(tx, electionName, epoch, null);
    }

    private static void check(Connection tx, String electionName, long epoch, String electionSchema) {
        try {
            if (tx.getAutoCommit()) {
                throw new IllegalArgumentException("Fence.check needs the writing transaction, not an autocommit connection");
            }
            // FOR SHARE, never FOR KEY SHARE: the acquisition's upsert takes FOR NO KEY UPDATE on
            // the row (it changes no key column), which conflicts with FOR SHARE but not with FOR
            // KEY SHARE, so with KEY SHARE a new leader's epoch + 1 would commit past this write.
            try (PreparedStatement query = tx.prepareStatement("SELECT epoch FROM leader_epoch WHERE name = ? FOR SHARE")) {
                query.setString(1, electionName);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        throw new FailedPreconditionException("no leader of " + electionName + " was ever elected: write refused");
                    }
                    long current = rows.getLong(1);
                    if (current != epoch) {
                        throw new FailedPreconditionException("the leadership of " + electionName + " is at epoch " + current
                                + ", this write was made under epoch " + epoch + ": refused (the writer was deposed)");
                    }
                }
            }
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                // not a database outage, retrying will not help: the write runs in the wrong schema,
                // or no replica was ever elected there (the first leader creates the table)
                // (the aborted transaction cannot be asked its schema: named when the election knows it)
                throw new FailedPreconditionException("no leader_epoch table in the writing transaction's schema"
                        + (electionSchema == null ? "" : " (the election of " + electionName + " runs in schema " + electionSchema + ")")
                        + ": the write uses the wrong schema, or no leader of " + electionName
                        + " was ever elected there: write refused");
            }
            throw new UnavailableException("database", Duration.ofSeconds(1), e);
        }
    }


    /**
     * Checks a write against the leadership as it is now: without election (one replica) every
     * write passes; with it, the write must be made under the epoch this replica holds.
     */
    public static void check(Connection tx, Leadership leadership) {
        if (!leadership.electionEnabled()) {
            return;
        }
        check(tx, leadership.name(), leadership.heldEpoch(), leadership.schema().orElse(null));
    }
}
