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
}
