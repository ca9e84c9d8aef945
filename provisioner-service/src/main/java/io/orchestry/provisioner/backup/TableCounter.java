package io.orchestry.provisioner.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Counts the rows of every user table over a connection, in whatever transaction it is in (the dump's snapshot on the
 * source). User tables: ordinary and partitioned tables in every schema but pg_catalog, information_schema and the
 * toast and temporary schemas, not partitions (their parent counts their rows) and not tables an extension owns
 * (pg_dump leaves their rows out). Names are quoted by the server ({@code format('%I.%I')}), never by us.
 */
final class TableCounter {
    private static final String USER_TABLES = """
            SELECT format('%I.%I', n.nspname, c.relname)
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')
               AND NOT c.relispartition
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%'
               AND n.nspname NOT LIKE 'pg\\_temp\\_%'
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype = 'e')
             ORDER BY 1
            """;

    private TableCounter() {
    }

    static TableCounts count(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(USER_TABLES)) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        TreeMap<String, Long> rows = new TreeMap<>();
        for (String table : tables) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                rows.put(table, rs.getLong(1));
            }
        }
        return new TableCounts(rows);
    }

    /** Connects to {@code server} and counts in a transaction of its own. */
    static TableCounts count(ServerAddress server, long socketTimeoutSeconds) {
        try (Connection c = server.connect(socketTimeoutSeconds)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            TableCounts counts = count(c);
            c.rollback();
            return counts;
        } catch (SQLException e) {
            throw new BackupException("cannot count the tables of " + server.database() + ": "
                    + server.scrub(e.getMessage()), e);
        }
    }
}
