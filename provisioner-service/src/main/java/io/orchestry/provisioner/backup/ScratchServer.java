package io.orchestry.provisioner.backup;

/**
 * Where backups are test-restored: hands out a new empty database on a server of a major version, and drops it again.
 * The databases are throwaway; the server is Orchestry's, never a project's.
 */
public interface ScratchServer {
    /** A new, empty database (its own name) on a running server of {@code version}, with a login that may restore into it. */
    ServerAddress emptyDatabase(String version);

    /** Drops the database {@link #emptyDatabase} gave (disconnecting whoever is still in it); no error when it is gone. */
    void release(ServerAddress database);
}
