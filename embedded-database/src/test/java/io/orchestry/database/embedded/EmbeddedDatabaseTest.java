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

    /** Starts a server, prints its data folder, and waits to be killed. */
    public static final class OrphanMaker {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase database = EmbeddedDatabase.start(0);
            System.out.println("DATA " + database.dataDirectory());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
