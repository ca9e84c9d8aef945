package io.orchestry.provisioner.domain;

import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.provisioner.backup.CronSchedule;

import java.util.List;

/**
 * Checks what CreateDatabase and UpdateDatabase were given and reports every bad field at once, under the
 * lowerCamelCase names the REST API shows.
 */
public final class DatabaseValidator {
    public static final long MIN_MEMORY = 64L * 1024 * 1024;
    public static final int MIN_PORT = 1024;
    public static final int MAX_KEEP_BACKUPS = 100;
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 128;

    private DatabaseValidator() {
    }

    public static void checkNew(DatabaseRequest r, List<String> versions) {
        Violations v = new Violations();
        ResourceNames.checkName(v, "project", r.project());
        if (!r.engineVersion().isEmpty() && !versions.contains(r.engineVersion())) {
            v.add("engineVersion", "unknown PostgreSQL version " + quoted(r.engineVersion()) + "; known: "
                    + String.join(", ", versions));
        }
        v.require(r.port() == 0 || (r.port() >= MIN_PORT && r.port() <= 65535), "port",
                "must be 0 (a free port) or " + MIN_PORT + " to 65535");
        v.require(r.memoryBytes() == 0 || r.memoryBytes() >= MIN_MEMORY, "memoryBytes",
                "must be 0 (the default) or at least " + MIN_MEMORY + " (64 MiB)");
        v.require(r.cpuMillis() >= 0, "cpuMillis", "must not be negative");
        v.require(r.storageBytes() >= 0, "storageBytes", "must not be negative");
        if (!r.password().isEmpty()) {
            boolean printable = r.password().chars().allMatch(c -> c > 0x20 && c < 0x7f);
            v.require(printable && r.password().length() >= MIN_PASSWORD && r.password().length() <= MAX_PASSWORD,
                    "password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                            + " printable ASCII characters without spaces, or empty to have one generated");
        }
        if (!r.nodeName().isEmpty()) {
            ResourceNames.checkName(v, "nodeName", r.nodeName());
        }
        backupPolicy(v, r.backupSchedule(), r.keepBackups());
        v.throwIfAny();
    }

    public static void checkBackupPolicy(String schedule, int keepBackups) {
        Violations v = new Violations();
        backupPolicy(v, schedule, keepBackups);
        v.throwIfAny();
    }

    private static void backupPolicy(Violations v, String schedule, int keepBackups) {
        if (!schedule.isEmpty()) {
            try {
                CronSchedule.parse(schedule);
            } catch (IllegalArgumentException e) {
                v.add("backupSchedule", e.getMessage());
            }
        }
        v.require(keepBackups >= 0 && keepBackups <= MAX_KEEP_BACKUPS, "keepBackups",
                "must be 0 (the default) to " + MAX_KEEP_BACKUPS);
    }

    private static String quoted(String s) {
        return "\"" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "\"";
    }
}
