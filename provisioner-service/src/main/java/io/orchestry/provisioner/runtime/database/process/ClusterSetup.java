package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.process.Exec;
import org.postgresql.util.PasswordUtil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a start does to a cluster before its server runs, and to a running one: initdb of a new cluster (its password
 * from a 0600 file removed right after), our pg_hba.conf, and a single-user session that creates the database and sets
 * the role's password. The password reaches PostgreSQL only as its SCRAM verifier, through standard input: never on a
 * command line, in a log or an error message.
 */
final class ClusterSetup {
    /** The environment of every PostgreSQL command: nothing of the provisioner's own (it may hold secrets). */
    static final Map<String, String> ENV = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL", "C", "LANG", "C");
    private static final int OUTPUT_IN_ERRORS = 600;

    private final RunAs runAs;
    private final Duration timeout;

    ClusterSetup(RunAs runAs, Duration timeout) {
        this.runAs = runAs;
        this.timeout = timeout;
    }

    /** Makes the cluster in the (empty or missing) data folder, with {@code username} as its superuser. */
    void initdb(ServerFolder folder, Path bin, String username, String password) throws IOException {
        Files.createDirectories(folder.data(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(folder.data(), PosixFilePermissions.fromString("rwx------"));
        runAs.own(folder.data());
        Path pwfile = folder.scratch("pwfile");
        try {
            Files.deleteIfExists(pwfile);
            Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            runAs.own(pwfile);
            check("initdb", run(PostgresCommands.initdb(bin, folder.data(), username, pwfile), folder.dir(), null));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        Path hba = folder.data().resolve("pg_hba.conf");
        Files.writeString(hba, PostgresCommands.pgHba(), StandardCharsets.US_ASCII);
        runAs.own(hba);
    }

    /** A single-user session: the database when {@code createDatabase}, and the role's password. */
    void prepare(ServerFolder folder, Path bin, boolean createDatabase, String databaseName, String username,
                 String password) throws IOException {
        String sql = PostgresCommands.setupSql(createDatabase, databaseName, username, verifier(password));
        String database = createDatabase ? PostgresCommands.FIRST_DATABASE : PostgresCommands.ALWAYS_THERE;
        withInput(folder, "setup.sql", sql, input -> check("setting up the cluster (single-user session)",
                run(PostgresCommands.singleUser(bin, folder.data(), database), folder.dir(), input)));
    }

    /** Sets the role's password in the running server, through its trusted unix socket (psql beside the binaries). */
    void setPassword(ServerFolder folder, Path bin, int port, String username, String password) throws IOException {
        String sql = PostgresCommands.socketPasswordSql(username, verifier(password));
        withInput(folder, "password.sql", sql, input -> check("setting the password through the server's socket",
                run(PostgresCommands.psql(bin, folder.socket(), port, username), folder.dir(), input)));
    }

    /** Whether {@link #setPassword} can run: Debian's binaries have psql, the embedded ones do not. */
    static boolean hasPsql(Path bin) {
        return Files.isExecutable(bin.resolve("psql"));
    }

    ExecResult run(List<String> command, Path dir, Path input) {
        List<String> wrapped = runAs.wrap(command);
        return input == null ? Exec.run(wrapped, dir, ENV, timeout) : Exec.run(wrapped, dir, ENV, timeout, input);
    }

    private static String verifier(String password) {
        char[] chars = password.toCharArray();
        try {
            return PasswordUtil.encodeScramSha256(chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
    }

    private interface WithFile {
        void run(Path file) throws IOException;
    }

    /** The text in a 0600 file of the provisioner's (the command reads it as its standard input), removed after. */
    private static void withInput(ServerFolder folder, String name, String text, WithFile use) throws IOException {
        Path file = folder.scratch(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8);
            use.run(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Fails with what the command said (its output holds no password: it never saw one). */
    static void check(String what, ExecResult result) {
        if (result.succeeded()) {
            return;
        }
        String output = result.output().strip();
        if (output.length() > OUTPUT_IN_ERRORS) {
            output = "…" + output.substring(output.length() - OUTPUT_IN_ERRORS);
        }
        throw new FailedPreconditionException(what + (result.timedOut() ? " timed out" : " failed (exit " + result.exitCode() + ")")
                + (output.isEmpty() ? "" : ": " + output));
    }
}
