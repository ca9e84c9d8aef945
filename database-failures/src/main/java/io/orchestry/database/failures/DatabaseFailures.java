package io.orchestry.database.failures;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.UnavailableException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/** Reads what a failed statement says: a duplicate key, or a database that is not answering. */
public final class DatabaseFailures {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private DatabaseFailures() {
    }

    /**
     * Runs one call to the store; a connection that could not be had (or a transaction that could
     * not begin) becomes UNAVAILABLE, and a value the database refuses INVALID_ARGUMENT, as
     * {@link #translate} says.
     */
    public static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            // whatever wraps it (DataAccessException, TransactionException, CannotGetJdbcConnectionException...),
            // the cause chain says what happened; anything else comes back unchanged
            throw translate(e);
        }
    }

    /** True when the failure is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isDuplicateKey(Throwable failure) {
        return "23505".equals(sqlState(failure));
    }

    /**
     * The failure as the caller should see it: a connection that could not be had or set up becomes
     * UNAVAILABLE; a value PostgreSQL refuses to hold (SQLSTATE class 22: a NUL character, an
     * invalid byte sequence, a number out of range) is the caller's INVALID_ARGUMENT; anything else
     * is returned as it is (an internal error).
     */
    public static RuntimeException translate(RuntimeException failure) {
        String state = sqlState(failure);
        if (state != null && state.startsWith("22")) {
            return new InvalidArgumentException("request",
                    "holds a value that cannot be stored (e.g. a NUL character or an out-of-range number)");
        }
        if ((state != null && state.startsWith("08")) || hasCause(failure, SQLTransientConnectionException.class)
                || hasCause(failure, ConnectionException.class)) {
            return new UnavailableException("database", RETRY_AFTER, failure);
        }
        return failure;
    }

    public static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
