package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.error.FailedPreconditionException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OS user database servers run as: a provisioner running as root runs them (and initdb, pg_ctl) as a configured
 * non-root user through {@code setpriv} (which execs: the server's pid stays the one the driver started) and gives
 * that user the folders; any other provisioner runs them as itself.
 *
 * @param user the user switched to, or null when the provisioner runs as itself
 */
record RunAs(String user, int uid, int gid) {

    static RunAs self() {
        return new RunAs(null, -1, -1);
    }

    /** Root: the configured user (from /etc/passwd; an error when it does not exist); else itself. */
    static RunAs detect(String configured) {
        if (!root()) {
            return self();
        }
        return lookup(configured, Path.of("/etc/passwd")).orElseThrow(() -> new FailedPreconditionException(
                "the provisioner runs as root and PostgreSQL refuses root, but there is no OS user '" + configured
                        + "' to run database servers as (orchestry.databases.process.run-as)"));
    }

    static Optional<RunAs> lookup(String user, Path passwd) {
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals(user)) {
                    return Optional.of(new RunAs(user, Integer.parseInt(f[2]), Integer.parseInt(f[3])));
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static boolean root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.substring(4).trim().split("\\s+")[1]); // the effective uid
                }
            }
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
        return false;
    }

    boolean switches() {
        return user != null;
    }

    /** The command, run as this user. */
    List<String> wrap(List<String> command) {
        if (!switches()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes the user own the file or folder (not following links). */
    void own(Path path) throws IOException {
        if (switches()) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    @Override
    public String toString() {
        return switches() ? user : "the provisioner's own user";
    }
}
