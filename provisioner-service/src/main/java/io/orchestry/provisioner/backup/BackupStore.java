package io.orchestry.provisioner.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * Where dump files live, by backup id: the node's backup folder today ({@link LocalBackupStore}), an S3-compatible
 * bucket later (write locally to {@link #target}, upload in {@link #seal}, download in {@link #readable}). Ids are
 * checked against {@link #ID} before they reach a path or a key; a bad one is an {@link IllegalArgumentException}.
 */
public interface BackupStore {
    /** What a backup id may look like. */
    java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    /** A local file for pg_dump to write the backup to (its folder exists; an unsealed earlier attempt is gone). */
    Path target(String id);

    /** Makes the written file the backup: durable on disk, and listed by {@link #ids()} from now on. */
    void seal(String id);

    /** A local file holding the sealed backup; a {@link BackupException} when there is none. */
    Path readable(String id);

    /** Size of the sealed backup in bytes; a {@link BackupException} when there is none. */
    long size(String id);

    /** Removes the backup, sealed or not; no error when it is not there. */
    void delete(String id);

    /** The sealed backups, sorted. */
    List<String> ids();

    /** Throws unless {@code id} matches {@link #ID}. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("backup id " + id + " must match " + ID.pattern());
        }
        return id;
    }
}
