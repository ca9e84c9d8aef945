package io.orchestry.provisioner.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One backup from start to end: dump in the source's snapshot ({@link SnapshotDumper}), then verify by a real restore
 * ({@link BackupVerifier}). It tells the caller each phase as it begins (DUMPING, VERIFYING) and never throws for a
 * backup that went wrong: a dump that fails is FAILED (its file removed), a dump that does not verify is FAILED (its
 * file kept for a look, until retention removes it). Errors never hold the source's password.
 */
public final class BackupRunner {
    private final SnapshotDumper dumper;
    private final BackupVerifier verifier;
    private final Clock clock;

    public BackupRunner(SnapshotDumper dumper, BackupVerifier verifier, Clock clock) {
        this.dumper = dumper;
        this.verifier = verifier;
        this.clock = clock;
    }

    public BackupOutcome run(ServerAddress source, String version, String backupId, Consumer<BackupState> onPhase) {
        Objects.requireNonNull(source, "source");
        BackupStore.checkId(backupId);
        Instant start = clock.instant();
        onPhase.accept(BackupState.DUMPING);
        SnapshotDumper.Dump dump;
        try {
            dump = dumper.dump(source, version, backupId);
        } catch (RuntimeException e) {
            // a tool missing or failing, the source unreachable, the disk full: never thrown at the orchestration
            return new BackupOutcome(BackupState.FAILED, 0, null, source.scrub("dump failed: " + reason(e)), since(start));
        }
        onPhase.accept(BackupState.VERIFYING);
        try {
            BackupVerifier.Verification verification = verifier.verify(backupId, version, dump.tables());
            return new BackupOutcome(verification.verified() ? BackupState.VERIFIED : BackupState.FAILED,
                    dump.sizeBytes(), dump.tables(), source.scrub(verification.error()), since(start));
        } catch (RuntimeException e) {
            // no scratch server (the driver refused, the node is unreachable): not verified, so not counted
            return new BackupOutcome(BackupState.FAILED, dump.sizeBytes(), dump.tables(),
                    source.scrub("verification failed: " + reason(e)), since(start));
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private Duration since(Instant start) {
        return Duration.between(start, clock.instant());
    }
}
