package io.orchestry.database.failures;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where every repository of a service (registry, provisioner) runs its statements: one transaction per call, begun and committed here,
 * so that a failure anywhere (no connection, a statement, the commit) is translated in one place
 * into what the caller should see (UNAVAILABLE, INVALID_ARGUMENT, or the failure itself).
 */
@Singleton
public final class Transactions {
    private final TransactionOperations<Connection> transactions;

    public Transactions(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    public <R> R write(TransactionCallback<Connection, R> work) {
        return DatabaseFailures.call(() -> transactions.executeWrite(unchecked(work)));
    }

    public <R> R read(TransactionCallback<Connection, R> work) {
        return DatabaseFailures.call(() -> transactions.executeRead(unchecked(work)));
    }

    /** A statement's {@link SQLException} as an unchecked one, so that it rolls back and is translated like any other. */
    private static <R> TransactionCallback<Connection, R> unchecked(TransactionCallback<Connection, R> work) {
        return status -> {
            try {
                return work.call(status);
            } catch (SQLException e) {
                throw new DataAccessException(e.getMessage(), e);
            }
        };
    }
}
