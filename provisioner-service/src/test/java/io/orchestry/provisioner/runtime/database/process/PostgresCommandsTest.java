package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.provisioner.runtime.database.ServerSettings;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PasswordUtil;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresCommandsTest {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path DATA = Path.of("/w/databases/orchestry-db-a/data");

    @Test
    void initdb_trustsTheSocket_scramOverTcp_passwordFromAFile_utf8() {
        List<String> line = PostgresCommands.initdb(BIN, DATA, "app", Path.of("/w/pw"));

        assertEquals("/usr/lib/postgresql/15/bin/initdb", line.get(0));
        assertTrue(line.containsAll(List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=/w/pw",
                "--encoding=UTF8", "-U", "app", "-D", DATA.toString())), line.toString());
    }

    @Test
    void server_listensOnTheAddressAndPort_socketInItsFolder_settingsSizedToMemory() {
        long memory = 1024L * 1024 * 1024;
        List<String> line = PostgresCommands.server(BIN, DATA, Path.of("/w/s"), "10.0.0.5", 5433, memory);

        assertEquals(List.of("/usr/lib/postgresql/15/bin/postgres", "-D", DATA.toString()), line.subList(0, 3));
        assertTrue(line.contains("listen_addresses=10.0.0.5"), line.toString());
        assertTrue(line.contains("port=5433"));
        assertTrue(line.contains("unix_socket_directories=/w/s"));
        assertTrue(line.contains("unix_socket_permissions=0700"));
        ServerSettings.forMemory(memory).forEach((name, value) -> assertTrue(line.contains(name + "=" + value), name));
        for (int i = 3; i < line.size(); i += 2) {
            assertEquals("-c", line.get(i));
        }
    }

    @Test
    void setupSql_newCluster_createsTheDatabaseOwnedByTheUser_andSetsTheVerifier_quotingNames() {
        String verifier = PasswordUtil.encodeScramSha256("secret".toCharArray());
        String sql = PostgresCommands.setupSql(true, "my-\"db\"", "app", verifier);

        assertEquals("CREATE DATABASE \"my-\"\"db\"\"\" OWNER \"app\";\n\nALTER ROLE \"app\" PASSWORD '" + verifier + "';\n\n", sql);
        assertFalse(sql.contains("secret"));
    }

    @Test
    void setupSql_keptData_onlySetsThePassword() {
        String verifier = PasswordUtil.encodeScramSha256("secret".toCharArray());
        assertEquals("ALTER ROLE \"app\" PASSWORD '" + verifier + "';\n\n", PostgresCommands.setupSql(false, "db", "app", verifier));
    }

    @Test
    void passwordSql_refusesAnythingButAVerifier() {
        assertThrows(IllegalArgumentException.class, () -> PostgresCommands.passwordSql("app", "plain'; DROP ROLE app; --"));
    }

    @Test
    void socketPasswordSql_keepsTheStatementOutOfTheServersLog() {
        String verifier = PasswordUtil.encodeScramSha256("secret".toCharArray());
        assertTrue(PostgresCommands.socketPasswordSql("app", verifier).startsWith("SET log_min_error_statement = panic;\n"));
    }

    @Test
    void ident_refusesControlCharactersAndEmptyNames() {
        assertThrows(IllegalArgumentException.class, () -> PostgresCommands.ident("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> PostgresCommands.ident(""));
        assertEquals("\"a b\"", PostgresCommands.ident("a b"));
    }

    @Test
    void singleUser_endsAtTheFirstError_andEchoesNoStatement() {
        List<String> line = PostgresCommands.singleUser(BIN, DATA, "template1");

        assertTrue(line.containsAll(List.of("--single", "-j", "exit_on_error=on", "log_min_error_statement=panic")), line.toString());
        assertEquals("template1", line.get(line.size() - 1));
    }

    @Test
    void stop_isAFastShutdownThatDoesNotWait() {
        assertEquals(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D", DATA.toString(), "-m", "fast", "-W"),
                PostgresCommands.stop(BIN, DATA));
    }
}
