package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups against real PostgreSQL 15: a source cluster with a shop database, a second cluster as the scratch server.
 * Every test also checks that no scratch database is left behind.
 */
class BackupIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String V = PostgresCluster.VERSION;
    private static PostgresCluster source;
    private static PostgresCluster scratchCluster;
    private static Path folder;
    private static LocalBackupStore store;
    private static BackupRunner runner;
    private static SnapshotDumper dumper;
    private static BackupVerifier verifier;
    private static Restorer restorer;
    private static int databases;

    @BeforeAll
    static void start() throws IOException {
        source = PostgresCluster.start();
        scratchCluster = PostgresCluster.start();
        folder = Files.createTempDirectory("orchestry-backups-");
        store = new LocalBackupStore(folder);
        PostgresTools tools = PostgresTools.debian();
        Clock clock = Clock.systemUTC();
        dumper = new SnapshotDumper(tools, store, TIMEOUT, clock);
        verifier = new BackupVerifier(tools, store, new ClusterScratchServer(scratchCluster), TIMEOUT);
        runner = new BackupRunner(dumper, verifier, clock);
        restorer = new Restorer(tools, store, TIMEOUT, clock);
    }

    @AfterAll
    static void stop() throws IOException {
        if (source != null) {
            source.close();
        }
        if (scratchCluster != null) {
            scratchCluster.close();
        }
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @AfterEach
    void noScratchDatabaseLeft() {
        assertEquals(List.of(), scratchCluster.databases(), "scratch databases left behind");
    }

    /** A new database on the source: two schemas, a quoted mixed-case name with a space, an empty table. */
    private static ServerAddress shop() {
        ServerAddress shop = source.createDatabase("shop_" + ++databases);
        PostgresCluster.execute(shop,
                "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 3) g",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer int REFERENCES customers, total numeric)",
                "INSERT INTO orders (customer, total) SELECT 1 + g % 3, g * 1.5 FROM generate_series(1, 1000) g",
                "CREATE SCHEMA sales",
                "CREATE TABLE sales.\"Order Lines\" (id bigserial PRIMARY KEY, sku text)",
                "INSERT INTO sales.\"Order Lines\" (sku) SELECT 'sku-' || g FROM generate_series(1, 50) g",
                "CREATE TABLE sales.empty (id int)");
        return shop;
    }

    private static final Map<String, Long> SHOP = Map.of("public.customers", 3L, "public.orders", 1000L,
            "sales.\"Order Lines\"", 50L, "sales.empty", 0L);

    @Test
    void run_severalTables_verifiedWithTheirCounts() {
        ServerAddress shop = shop();
        List<BackupState> phases = new ArrayList<>();
        BackupOutcome outcome = runner.run(shop, V, "several", phases::add);

        assertNull(outcome.error());
        assertEquals(BackupState.VERIFIED, outcome.state());
        assertEquals(List.of(BackupState.DUMPING, BackupState.VERIFYING), phases);
        assertEquals(TableCounts.of(SHOP), outcome.tables());
        assertEquals(4, outcome.tableCount());
        assertEquals(1053, outcome.rowCount());
        assertEquals(store.size("several"), outcome.sizeBytes());
        assertTrue(outcome.sizeBytes() > 0);
        assertTrue(store.ids().contains("several"));
    }

    @Test
    void run_anotherConnectionWritesDuringTheDump_countsAreTheSnapshotsAndVerify() throws Exception {
        ServerAddress shop = shop();
        PostgresCluster.execute(shop,
                "INSERT INTO orders (customer, total) SELECT 1, g FROM generate_series(1, 200000) g",
                "INSERT INTO sales.\"Order Lines\" (sku) SELECT 'bulk' FROM generate_series(1, 200950) g");
        // every writer transaction adds one order and one line: in any one snapshot the two counts are equal
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(shop, stop, written));
        BackupOutcome outcome;
        try {
            while (written.get() < 20) {
                Thread.sleep(10);
                assertFalse(writer.isDone(), "the writer stopped");
            }
            outcome = runner.run(shop, V, "busy", phase -> { });
        } finally {
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
        }
        assertNull(outcome.error());
        assertEquals(BackupState.VERIFIED, outcome.state());
        long orders = outcome.tables().rows().get("public.orders");
        long lines = outcome.tables().rows().get("sales.\"Order Lines\"");
        assertEquals(orders, lines, "both counts come from one snapshot");
        assertTrue(orders >= 201020, "the rows written before the backup are in it: " + orders);
        long after = PostgresCluster.queryLong(shop, "SELECT count(*) FROM orders");
        assertTrue(after > orders, "the writer went on after the snapshot: " + after + " vs " + orders);
    }

    private static void write(ServerAddress shop, AtomicBoolean stop, AtomicLong written) {
        try (Connection c = shop.connect(60)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                while (!stop.get()) {
                    s.execute("INSERT INTO orders (customer, total) VALUES (2, 9.99)");
                    s.execute("INSERT INTO sales.\"Order Lines\" (sku) VALUES ('live')");
                    c.commit();
                    written.incrementAndGet();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void verify_emptiedDump_failedAsEmpty() throws IOException {
        TableCounts tables = dumper.dump(shop(), V, "emptied").tables();
        Files.write(store.readable("emptied"), new byte[0]);
        BackupVerifier.Verification v = verifier.verify("emptied", V, tables);
        assertEquals("the dump file is empty (0 bytes)", v.error());
    }

    @Test
    void verify_zeroedDump_failedNotAnArchive() throws IOException {
        TableCounts tables = dumper.dump(shop(), V, "zeroed").tables();
        Path file = store.readable("zeroed");
        Files.write(file, new byte[(int) Files.size(file)]);
        String error = verifier.verify("zeroed", V, tables).error();
        assertNotNull(error);
        assertTrue(error.startsWith("the dump does not restore: pg_restore failed (exit 1): "), error);
        assertTrue(error.contains("input file does not appear to be a valid archive"), error);
    }

    @Test
    void verify_truncatedDump_failedNotRestorable() throws IOException {
        TableCounts tables = dumper.dump(shop(), V, "truncated").tables();
        Path file = store.readable("truncated");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        String error = verifier.verify("truncated", V, tables).error();
        assertNotNull(error);
        assertTrue(error.startsWith("the dump does not restore: pg_restore failed"), error);
    }

    @Test
    void verify_bytesFlippedInTheData_failed() throws IOException {
        TableCounts tables = dumper.dump(shop(), V, "flipped").tables();
        Path file = store.readable("flipped");
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Files.write(file, bytes);
        String error = verifier.verify("flipped", V, tables).error();
        assertNotNull(error);
        assertTrue(error.startsWith("the dump does not restore: pg_restore failed")
                || error.startsWith("the restored dump differs from the source"), error);
    }

    @Test
    void verify_countsThatDiffer_failedNamingTheTable() {
        TableCounts tables = dumper.dump(shop(), V, "differs").tables();
        java.util.TreeMap<String, Long> wrong = new java.util.TreeMap<>(tables.rows());
        wrong.put("public.customers", 4L);
        wrong.put("public.gone", 7L);
        wrong.remove("sales.empty");
        String error = verifier.verify("differs", V, new TableCounts(wrong)).error();
        assertEquals("the restored dump differs from the source: table public.customers: expected 4 rows, found 3;"
                + " table public.gone is missing (expected 7 rows); table sales.empty was not in the source (0 rows)", error);
    }

    @Test
    void run_wrongPassword_failedWithoutTheSecretAndNoFileLeft() {
        ServerAddress shop = shop();
        ServerAddress wrong = new ServerAddress(shop.host(), shop.port(), shop.database(), shop.user(), "not-the-Password-42");
        BackupOutcome outcome = runner.run(wrong, V, "refused", phase -> { });
        assertEquals(BackupState.FAILED, outcome.state());
        assertTrue(outcome.error().startsWith("dump failed: cannot read " + shop.database()), outcome.error());
        assertTrue(outcome.error().contains("password authentication failed"), outcome.error());
        assertFalse(outcome.error().contains("not-the-Password-42"));
        assertNoFiles("refused");
    }

    @Test
    void run_noToolsForTheVersion_failedAndNoFileLeft() {
        BackupOutcome outcome = runner.run(shop(), "99", "noversion", phase -> { });
        assertEquals(BackupState.FAILED, outcome.state());
        assertTrue(outcome.error().startsWith("dump failed: no pg_dump for PostgreSQL 99 or newer on this node"),
                outcome.error());
        assertNoFiles("noversion");
    }

    @Test
    void run_scratchServerDown_failedAsUnverifiedAndTheDumpKept() {
        ServerAddress shop = shop();
        PostgresCluster gone = PostgresCluster.start();
        gone.close();
        BackupRunner withoutScratch = new BackupRunner(dumper, new BackupVerifier(PostgresTools.debian(), store,
                new ClusterScratchServer(gone), TIMEOUT), Clock.systemUTC());

        BackupOutcome outcome = withoutScratch.run(shop, V, "unverified", phase -> { });

        assertEquals(BackupState.FAILED, outcome.state());
        assertTrue(outcome.error().startsWith("verification failed: scratch server 127.0.0.1:"), outcome.error());
        assertEquals(TableCounts.of(SHOP), outcome.tables());
        assertEquals(store.size("unverified"), outcome.sizeBytes());
    }

    private static void assertNoFiles(String id) {
        assertFalse(store.ids().contains(id));
        assertFalse(Files.exists(folder.resolve(id + ".dump")));
        assertFalse(Files.exists(folder.resolve(id + ".dump.partial")));
    }

    @Test
    void restore_intoAnotherDatabase_sameRows() {
        ServerAddress shop = shop();
        BackupOutcome outcome = runner.run(shop, V, "copy", phase -> { });
        assertEquals(BackupState.VERIFIED, outcome.state(), outcome.error());
        ServerAddress copy = source.createDatabase("shop_copy");
        RestoreOutcome restored = restorer.restore("copy", V, copy, outcome.tables());
        assertNull(restored.error());
        assertEquals(outcome.tables(), restored.found());
        assertEquals(List.of(), restored.extraTables());
        assertEquals(content(shop), content(copy));
    }

    @Test
    void restore_inPlace_replacesChangedData() {
        ServerAddress shop = shop();
        String before = content(shop);
        BackupOutcome outcome = runner.run(shop, V, "inplace", phase -> { });
        assertEquals(BackupState.VERIFIED, outcome.state(), outcome.error());
        PostgresCluster.execute(shop,
                "DELETE FROM orders WHERE id > 10",
                "UPDATE customers SET name = 'changed'",
                "INSERT INTO sales.empty VALUES (1), (2)",
                "DROP TABLE sales.\"Order Lines\"",
                "CREATE TABLE public.added_later (id int)");
        assertFalse(before.equals(content(shop)));

        RestoreOutcome restored = restorer.restore("inplace", V, shop, outcome.tables());

        assertNull(restored.error());
        assertEquals(List.of("public.added_later"), restored.extraTables());
        assertEquals(before, content(shop));
    }

    @Test
    void restore_brokenDump_failsAndLeavesTheTargetAsItWas() throws IOException {
        ServerAddress shop = shop();
        BackupOutcome outcome = runner.run(shop, V, "broken", phase -> { });
        Path file = store.readable("broken");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() * 3 / 4);
        }
        PostgresCluster.execute(shop, "UPDATE customers SET name = 'kept'");
        String kept = content(shop);
        RestoreOutcome restored = restorer.restore("broken", V, shop, outcome.tables());
        assertNotNull(restored.error());
        assertTrue(restored.error().startsWith("restore failed: pg_restore failed"), restored.error());
        assertEquals(kept, content(shop), "a failed restore is rolled back");
    }

    /** Every row of the shop's tables, as text. */
    private static String content(ServerAddress db) {
        StringBuilder out = new StringBuilder();
        for (String table : List.of("customers", "orders", "sales.\"Order Lines\"", "sales.empty")) {
            try (Connection c = db.connect(60); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT coalesce(string_agg(t::text, ',' ORDER BY t::text), '') FROM " + table + " t")) {
                rs.next();
                out.append(table).append('=').append(rs.getString(1)).append('\n');
            } catch (SQLException e) {
                out.append(table).append(" missing\n");
            }
        }
        return out.toString();
    }
}
