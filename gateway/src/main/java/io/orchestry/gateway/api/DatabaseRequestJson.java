package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The bodies of the database endpoints. The provisioner checks every field and names every bad
 * one. A body that carries a password never shows it in {@code toString}, so no log can hold it.
 */
public final class DatabaseRequestJson {
    private DatabaseRequestJson() {
    }

    /**
     * {@code POST /api/v1/databases}: one PostgreSQL for a project that exists.
     *
     * @param engineVersion  PostgreSQL major version; absent: the default
     * @param port           absent or 0: a free port from the configured range
     * @param cpuMillis      thousandths of a core
     * @param storageBytes   absent or 0: unbounded where the driver cannot bound it
     * @param password       absent: generated; write-only (shown by the credentials endpoint only)
     * @param nodeName       absent: any node that fits
     * @param backupSchedule five cron fields (UTC) or @hourly, @daily, @weekly; absent: backups on demand only
     * @param keepBackups    verified backups kept; absent or 0: the default (7)
     */
    @Schema(example = """
            {"project": "shop", "engineVersion": "16", "memoryBytes": 268435456, "cpuMillis": 500,
             "backupSchedule": "0 3 * * *", "keepBackups": 7}""")
    @Serdeable
    public record Create(@Nullable String project, @Nullable String engineVersion, @Nullable Integer port,
                         @Nullable Long memoryBytes, @Nullable Long cpuMillis, @Nullable Long storageBytes,
                         @Nullable String password, @Nullable String nodeName, @Nullable String backupSchedule,
                         @Nullable Integer keepBackups) {
        @Override
        public String toString() {
            return "Create[project=" + project + ", engineVersion=" + engineVersion + ", port=" + port + ", memoryBytes="
                    + memoryBytes + ", cpuMillis=" + cpuMillis + ", storageBytes=" + storageBytes + ", password="
                    + (password == null ? "absent" : "***") + ", nodeName=" + nodeName + ", backupSchedule=" + backupSchedule
                    + ", keepBackups=" + keepBackups + "]";
        }
    }

    /** {@code PATCH /api/v1/databases/{project}}: only the fields given change. */
    @Schema(example = """
            {"backupSchedule": "@daily", "keepBackups": 14}""")
    @Serdeable
    public record Update(@Nullable String backupSchedule, @Nullable Integer keepBackups) {
    }

    /**
     * {@code POST /api/v1/databases/{project}/restore}.
     *
     * @param backupId      a verified backup of the project's database
     * @param targetProject absent or the same project: restore in place (needs {@code confirm}); another project of
     *                      the caller's: restore into its database (created first, with the source's settings, when it has none)
     * @param confirm       must be true to restore in place: the database's current data is replaced
     */
    @Schema(example = """
            {"backupId": "bkp-0193a1b2", "targetProject": "shop-staging"}""")
    @Serdeable
    public record Restore(@Nullable String backupId, @Nullable String targetProject, @Nullable Boolean confirm) {
    }
}
