package io.orchestry.provisioner.backup;

/**
 * Why a dump, a verification or a restore could not be done: a tool missing, pg_dump or pg_restore failing (with their
 * message), a server that cannot be reached. The message is fit for a backup's error field and never holds a password.
 */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
