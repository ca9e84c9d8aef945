package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.provisioner.runtime.database.ServerSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command lines and files of a server (pure): initdb, the server itself, a single-user session, pg_ctl stop, psql
 * over the trusted socket, pg_hba.conf, and the setup SQL. Passwords never appear in them: initdb reads a password
 * file, the SQL carries a SCRAM verifier, and SQL goes through standard input.
 */
final class PostgresCommands {
    /** What a setup session runs in a cluster that initdb just made: it always exists there. */
    static final String FIRST_DATABASE = "postgres";
    /** What a setup session runs in otherwise: it exists in every cluster (a user may drop "postgres"). */
    static final String ALWAYS_THERE = "template1";

    private PostgresCommands() {
    }

    static List<String> initdb(Path bin, Path data, String username, Path passwordFile) {
        return List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "--auth-local=trust",
                "--auth-host=scram-sha-256", "-U", username, "--pwfile=" + passwordFile, "--encoding=UTF8",
                "--no-locale", "--no-instructions");
    }

    /** Local (unix socket) connections trusted, TCP ones with scram-sha-256 from anywhere. */
    static String pgHba() {
        return """
                # written by Orchestry: the unix socket (private to the server's user) is trusted, TCP asks scram-sha-256
                local   all             all                                     trust
                local   replication     all                                     trust
                host    all             all             0.0.0.0/0               scram-sha-256
                host    all             all             ::/0                    scram-sha-256
                host    replication     all             0.0.0.0/0               scram-sha-256
                host    replication     all             ::/0                    scram-sha-256
                """;
    }

    /** The server in the foreground (the driver detaches it): its address, port, socket and settings as -c options. */
    static List<String> server(Path bin, Path data, Path socket, String host, int port, long memoryBytes) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data.toString()));
        option(command, "listen_addresses", host);
        option(command, "port", Integer.toString(port));
        option(command, "unix_socket_directories", socket.toString());
        option(command, "unix_socket_permissions", "0700");
        option(command, "logging_collector", "off");
        option(command, "log_destination", "stderr");
        for (Map.Entry<String, String> setting : ServerSettings.forMemory(memoryBytes).entrySet()) {
            option(command, setting.getKey(), setting.getValue());
        }
        return command;
    }

    /**
     * A single-user session (no server, no socket; the SQL on standard input, statements ended by ";" and an empty
     * line): any error ends it with a non-zero exit, and no statement is echoed into its output.
     */
    static List<String> singleUser(Path bin, Path data, String database) {
        return List.of(bin.resolve("postgres").toString(), "--single", "-j", "-D", data.toString(),
                "-c", "exit_on_error=on", "-c", "log_min_messages=warning", "-c", "log_min_error_statement=panic", database);
    }

    /**
     * What a start runs before the server: the database (in a cluster just made) and the role's password, as the SCRAM
     * verifier of it.
     */
    static String setupSql(boolean createDatabase, String databaseName, String username, String scramVerifier) {
        StringBuilder sql = new StringBuilder();
        if (createDatabase) {
            sql.append("CREATE DATABASE ").append(ident(databaseName)).append(" OWNER ").append(ident(username))
                    .append(";\n\n");
        }
        sql.append(passwordSql(username, scramVerifier)).append("\n\n");
        return sql.toString();
    }

    static String passwordSql(String username, String scramVerifier) {
        if (!scramVerifier.matches("SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+")) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
        }
        return "ALTER ROLE " + ident(username) + " PASSWORD '" + scramVerifier + "';";
    }

    /** What psql runs in the running server: its statement never reaches the server's log, even when it fails. */
    static String socketPasswordSql(String username, String scramVerifier) {
        return "SET log_min_error_statement = panic;\n" + passwordSql(username, scramVerifier) + "\n";
    }

    /** psql over the server's trusted unix socket, the SQL on standard input, stopping at the first error. */
    static List<String> psql(Path bin, Path socket, int port, String username) {
        return List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket.toString(),
                "-p", Integer.toString(port), "-U", username, "-d", ALWAYS_THERE);
    }

    /** Fast shutdown (SIGINT to the postmaster), not waiting: the driver waits for the process itself. */
    static List<String> stop(Path bin, Path data) {
        return List.of(bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(), "-m", "fast", "-W");
    }

    static List<String> version(Path bin) {
        return List.of(bin.resolve("postgres").toString(), "--version");
    }

    /** A quoted SQL identifier; names with control characters are refused (they would end a single-user statement). */
    static String ident(String name) {
        if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("an SQL name must be non-empty, without control characters");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void option(List<String> command, String name, String value) {
        command.add("-c");
        command.add(name + "=" + value);
    }
}
