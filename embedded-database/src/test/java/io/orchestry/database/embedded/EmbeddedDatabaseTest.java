package io.orchestry.database.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDatabaseTest {

    @Test
    void start_servesSql_andCloseRemovesDataAndStopsServer() throws Exception {
        Path data;
        String url;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(0)) {
            data = database.dataDirectory();
            url = database.createDatabase("orchestry_test");
            assertTrue(Files.isDirectory(data));
            try (Connection connection = DriverManager.getConnection(url, database.username(), database.password());
                 ResultSet rs = connection.createStatement().executeQuery("select current_database(), version()")) {
                assertTrue(rs.next());
                assertEquals("orchestry_test", rs.getString(1));
                assertTrue(rs.getString(2).startsWith("PostgreSQL 16"), rs.getString(2));
            }
        }
        assertFalse(Files.exists(data), "data folder removed on close");
        String stopped = url;
        assertThrows(SQLException.class, () -> DriverManager.getConnection(stopped, "postgres", "").close());
    }

    @Test
    void createDatabase_rejectsNamesThatAreNotIdentifiers() {
        EmbeddedDatabase database = EmbeddedDatabase.shared();
        assertThrows(IllegalArgumentException.class, () -> database.createDatabase("x; drop database postgres"));
    }

    @Test
    void serverWhoseOwnerWasKilled_isStoppedAndRemoved_atTheNextStart() throws Exception {
        // a JVM that starts a server and is then killed with SIGKILL, as a crashed launcher would be
        String fullClassPath = System.getProperty("java.class.path");
        Process owner = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", fullClassPath,
                OrphanMaker.class.getName()).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String line;
        String data = null;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("DATA ")) {
                data = line.substring(5);
                break;
            }
        }
        assertTrue(data != null, "the owner started a server");
        owner.destroyForcibly().waitFor();
        Path folder = Path.of(data);
        long postmaster = Long.parseLong(Files.readAllLines(folder.resolve("postmaster.pid")).get(0).trim());
        assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the server outlived its owner");

        EmbeddedDatabase.removeAbandoned();

        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the abandoned server is stopped");
        assertFalse(Files.exists(folder), "its data folder is removed");
    }

    @Test
    void startIn_keepsTheData_acrossStops_onAnotherPort() throws Exception {
        Path data = Files.createTempDirectory("orchestry-kept-test-").resolve("postgres");
        try {
            int firstPort;
            try (EmbeddedDatabase database = EmbeddedDatabase.startIn(data, 0)) {
                assertTrue(database.kept());
                firstPort = database.port();
                String url = database.ensureDatabase("kept");
                try (Connection connection = DriverManager.getConnection(url, database.username(), database.password())) {
                    connection.createStatement().execute("CREATE TABLE note (text varchar(20))");
                    connection.createStatement().execute("INSERT INTO note VALUES ('still here')");
                }
            }
            assertTrue(Files.isRegularFile(data.resolve("PG_VERSION")), "the data folder is kept");
            try (EmbeddedDatabase again = EmbeddedDatabase.startIn(data, 0)) {
                String url = again.ensureDatabase("kept");
                try (Connection connection = DriverManager.getConnection(url, again.username(), again.password());
                     ResultSet rs = connection.createStatement().executeQuery("SELECT text FROM note")) {
                    assertTrue(rs.next(), "the row written before the stop (server was on port " + firstPort + ")");
                    assertEquals("still here", rs.getString(1));
                }
            }
        } finally {
            deleteTree(data.getParent());
        }
    }

    @Test
    void startIn_afterItsOwnerWasKilled_stopsTheLeftServer_andKeepsTheData() throws Exception {
        Path data = Files.createTempDirectory("orchestry-kept-test-").resolve("postgres");
        try {
            Process owner = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), OrphanMaker.class.getName(), data.toString())
                    .redirectErrorStream(true).start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("DATA ")) {
                // the server's own output
            }
            assertTrue(line != null, "the owner started a server");
            owner.destroyForcibly().waitFor();
            long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the server outlived its owner");

            try (EmbeddedDatabase again = EmbeddedDatabase.startIn(data, 0)) {
                assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false), "the left server is stopped");
                try (Connection connection = DriverManager.getConnection(again.ensureDatabase("kept"), again.username(), again.password());
                     ResultSet rs = connection.createStatement().executeQuery("SELECT text FROM note")) {
                    assertTrue(rs.next());
                    assertEquals("before the kill", rs.getString(1));
                }
            }
        } finally {
            deleteTree(data.getParent());
        }
    }

    private static void deleteTree(Path folder) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Starts a server (in the folder given, if one is), prints its data folder, and waits to be killed. */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            if (args.length == 1) {
                EmbeddedDatabase kept = EmbeddedDatabase.startIn(Path.of(args[0]), 0);
                try (Connection connection = DriverManager.getConnection(kept.ensureDatabase("kept"), kept.username(), kept.password())) {
                    connection.createStatement().execute("CREATE TABLE note (text varchar(20))");
                    connection.createStatement().execute("INSERT INTO note VALUES ('before the kill')");
                }
                System.out.println("DATA " + kept.dataDirectory());
                System.out.flush();
                Thread.sleep(120_000);
            }
            EmbeddedDatabase database = EmbeddedDatabase.start(0);
            System.out.println("DATA " + database.dataDirectory());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
