package io.orchestry.gateway.tenant;

import java.util.function.Supplier;

/**
 * Runs a use case's writes in one transaction of the gateway's database: repository calls made
 * inside {@code work} join it, and all of them commit or none does. Implemented in persistence,
 * which translates a failure (UNAVAILABLE when the database cannot be reached).
 */
public interface Transactions {
    <T> T write(Supplier<T> work);
}
