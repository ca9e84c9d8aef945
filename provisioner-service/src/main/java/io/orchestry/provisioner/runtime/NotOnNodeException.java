package io.orchestry.provisioner.runtime;

/**
 * A start the node refuses until the spec changes: the image is not on the node and the spec does not ask to pull it,
 * or the executable does not exist there or is not executable. Every other failed precondition of a start (a port
 * taken, a pull that failed, a node-side problem) may pass and is retried with backoff.
 *
 * <p>A driver's own answer to its caller, the reconciler, which blocks the app on it (never sent on the wire: the
 * error model's tree stays sealed); a driver throws {@link io.orchestry.error.FailedPreconditionException} for the
 * rest.
 */
public final class NotOnNodeException extends RuntimeException {

    /** What the node lacks (POSTGRES_VERSION: a database server's PostgreSQL major version). */
    public enum Missing { IMAGE, EXECUTABLE, POSTGRES_VERSION }

    private final Missing missing;

    public NotOnNodeException(Missing missing, String message) {
        super(message);
        this.missing = missing;
    }

    public Missing missing() {
        return missing;
    }
}
