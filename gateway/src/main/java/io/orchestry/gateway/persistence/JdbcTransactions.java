package io.orchestry.gateway.persistence;

import io.orchestry.database.failures.DatabaseFailures;
import io.orchestry.error.OrchestryException;
import io.orchestry.gateway.tenant.Transactions;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.util.function.Supplier;

/**
 * The gateway's transactions, and the one place where what the database says goes wrong becomes the
 * error a caller sees ({@link DatabaseFailures#translate}): a connection that cannot be had, a
 * transaction that cannot begin or commit, a statement that fails. A call made inside another
 * transaction joins it.
 */
@Singleton
public class JdbcTransactions implements Transactions {
    private final TransactionOperations<Connection> transactions;

    public JdbcTransactions(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> T write(Supplier<T> work) {
        return translated(() -> transactions.executeWrite(status -> work.get()));
    }

    /** A read-only transaction (or the one already running). */
    public <T> T read(Supplier<T> work) {
        return translated(() -> transactions.executeRead(status -> work.get()));
    }

    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        } catch (OrchestryException alreadyTranslated) {
            throw alreadyTranslated;
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
    }
}
