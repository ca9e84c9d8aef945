package io.orchestry.bench;

import io.orchestry.provisioner.v1.DatabaseBackup;
import io.orchestry.provisioner.v1.DatabaseCredentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backup + verify of a process database filled to {@code backupMiB} (generate_series rows until
 * {@code pg_database_size} says so; that size is the one reported): from
 * CreateDatabaseBackup until GetDatabaseBackup says VERIFIED, against doing by hand what verification does — a bare
 * {@code pg_dump -Fc} of the same database and {@code pg_restore} of it into a fresh database of a server started by
 * hand (already running). Rounds alternate which goes first.
 */
final class BackupRounds {
    private static final Duration TOOL_LIMIT = Duration.ofMinutes(10);
    private static final long ROWS_PER_INSERT = 25_000;

    private final DatabaseCalls calls;
    private final String project;
    private final Path workDir;
    private final long memoryBytes;

    BackupRounds(DatabaseCalls calls, String project, Path workDir, long memoryBytes) {
        this.calls = calls;
        this.project = project;
        this.workDir = workDir;
        this.memoryBytes = memoryBytes;
    }

    /** The figures of the backup part, for the summary. */
    record Figures(Comparison time, long databaseBytes, long orchestryDumpBytes, long bareDumpBytes, double orchestryOwnSeconds,
                   int tables, long rows) {
        double megabytesPerSecond(double seconds) {
            return databaseBytes / 1e6 / seconds;
        }
    }

    Figures run(int rounds, int backupMiB) throws Exception {
        calls.create(project, "local", memoryBytes, 1000);
        DatabaseCredentials source = calls.credentials(project);
        calls.awaitLogin(project, source);
        calls.awaitReady(project);
        long filling = System.nanoTime();
        String how = fill(source, backupMiB);
        long size = databaseSize(source);
        System.out.printf(Locale.ROOT, "  filled with %s in %.1f s: pg_database_size %.1f MiB (%.1f MB)%n", how,
                CreateRounds.seconds(filling), size / 1048576.0, size / 1e6);

        Comparison time = new Comparison("backup + verify of " + String.format(Locale.ROOT, "%.0f MB", size / 1e6),
                "pg_dump -Fc + pg_restore", Double.NaN);
        List<Double> own = new ArrayList<>();
        long orchestryDump = 0;
        long bareDump = 0;
        DatabaseBackup last = null;
        String restorePassword = CreateRounds.password();
        try (BarePostgres target = BarePostgres.start(workDir, restorePassword, memoryBytes)) {
            DatabaseCalls.awaitLogin(target.host(), target.port(), target.database(), target.user(), restorePassword);
            for (int round = 1; round <= rounds; round++) {
                boolean bareFirst = round % 2 == 1;
                double[] bare = bareFirst ? byHand(source, target, restorePassword, round) : null;
                long began = System.nanoTime();
                last = calls.backupVerified(project);
                double orchestry = CreateRounds.seconds(began);
                if (!bareFirst) {
                    bare = byHand(source, target, restorePassword, round);
                }
                double ownSeconds = last.getDuration().getSeconds() + last.getDuration().getNanos() / 1e9;
                own.add(ownSeconds);
                orchestryDump = last.getSizeBytes();
                bareDump = (long) bare[2];
                time.orchestry(orchestry);
                time.bare(bare[0] + bare[1]);
                System.out.printf(Locale.ROOT, "  round %d (%s first)  Orchestry create -> VERIFIED %.2f s (its own duration %.2f s, dump %.1f MB,"
                                + " %d tables, %d rows) | pg_dump %.2f s + pg_restore %.2f s = %.2f s (dump %.1f MB)%n",
                        round, bareFirst ? "bare" : "Orchestry", orchestry, ownSeconds, last.getSizeBytes() / 1e6, last.getTableCount(),
                        last.getRowCount(), bare[0], bare[1], bare[0] + bare[1], bare[2] / 1e6);
            }
        } finally {
            calls.delete(project);
        }
        return new Figures(time, size, orchestryDump, bareDump, Latencies.median(own), last.getTableCount(), last.getRowCount());
    }

    /**
     * Rows of {@code (id bigint primary key, payload text)} with 64 hex characters of md5 each, 25,000 per insert,
     * until pg_database_size reaches {@code mib}: data that compresses as ordinary text does (pgbench's rows are blank
     * padding that a dump compresses fifty-fold). What it made.
     */
    private static String fill(DatabaseCredentials c, int mib) throws SQLException {
        long rows = 0;
        try (Connection conn = connect(c); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE bench_rows (id bigint PRIMARY KEY, payload text NOT NULL)");
            s.execute("CREATE TABLE bench_runs (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO bench_runs VALUES (1, 'databases benchmark')");
            while (databaseSize(c) < mib * 1048576L) {
                s.execute("INSERT INTO bench_rows SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series("
                        + (rows + 1) + ", " + (rows + ROWS_PER_INSERT) + ") g");
                rows += ROWS_PER_INSERT;
            }
        }
        return String.format(Locale.ROOT, "%,d rows of 64 hex characters (and 1 in a second table)", rows);
    }

    /** pg_dump -Fc of the source to a file, then createdb + pg_restore into a fresh database: seconds of each, dump size. */
    private double[] byHand(DatabaseCredentials c, BarePostgres target, String targetPassword, int round) throws Exception {
        Path dump = workDir.resolve("bare-" + round + ".dump");
        try {
            long began = System.nanoTime();
            run(List.of(BarePostgres.BIN.resolve("pg_dump").toString(), "-Fc", "-h", c.getHost(), "-p", Integer.toString(c.getPort()),
                    "-U", c.getUsername(), "-d", c.getDatabaseName(), "-f", dump.toString()), c.getPassword(), "pg_dump");
            double dumped = CreateRounds.seconds(began);
            long restoring = System.nanoTime();
            String fresh = "restore_" + round;
            target.createDatabase(fresh);
            run(List.of(BarePostgres.BIN.resolve("pg_restore").toString(), "--exit-on-error", "--no-owner", "--no-privileges",
                    "-h", target.host(), "-p", Integer.toString(target.port()), "-U", target.user(), "-d", fresh, dump.toString()),
                    targetPassword, "pg_restore");
            double restored = CreateRounds.seconds(restoring);
            target.dropDatabase(fresh);
            return new double[] {dumped, restored, Files.size(dump)};
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    private static long databaseSize(DatabaseCredentials c) throws SQLException {
        try (Connection conn = connect(c); Statement s = conn.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_database_size(current_database())")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Connection connect(DatabaseCredentials c) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + c.getHost() + ":" + c.getPort() + "/" + c.getDatabaseName(),
                c.getUsername(), c.getPassword());
    }

    private static void run(List<String> command, String password, String what) {
        SecondEngine.Result r = SecondEngine.run(command, Map.of("PGPASSWORD", password), TOOL_LIMIT);
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed (exit " + r.exit() + "): " + r.output());
        }
    }
}
