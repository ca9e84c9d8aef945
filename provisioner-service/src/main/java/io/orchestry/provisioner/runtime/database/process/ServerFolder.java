package io.orchestry.provisioner.runtime.database.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Where one server's files live: {@code <databases>/<name>/} with {@code data/} (the cluster), {@code socket/} (its
 * unix socket, private to the run-as user), {@code labels.json} (ours: lives as long as the data),
 * {@code state.json} (the running or stopped server) and {@code server.log}. When the socket path would pass the
 * kernel's 107 bytes, the socket folder is {@code <databases>/.s/<hash of the name>} instead, and when even that is
 * too long (a deep work folder), {@code ${java.io.tmpdir}/orchestry-pg/<hash of the server's folder>} (still 0700 and
 * the run-as user's; the hash of the whole path keeps two nodes' servers apart).
 */
record ServerFolder(Path dir, Path socket) {
    /** sun_path holds 108 bytes with the final NUL. */
    static final int MAX_SOCKET_PATH = 107;
    /** Names reach paths and process lines: a DNS-label-like pattern only. */
    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,100}[a-z0-9])?$");

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static ServerFolder of(Path databases, String name) {
        Path dir = databases.resolve(name);
        Path socket = dir.resolve("socket");
        if (!fits(socket)) {
            socket = databases.resolve(".s").resolve(hash(name));
        }
        if (!fits(socket)) {
            socket = Path.of(System.getProperty("java.io.tmpdir"), "orchestry-pg").resolve(hash(dir.toAbsolutePath().toString()));
        }
        return new ServerFolder(dir, socket);
    }

    /** Whether a socket of any port fits in the folder. */
    static boolean fits(Path socketDir) {
        return socketDir.resolve(".s.PGSQL.65535").toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }

    boolean socketFits() {
        return fits(socket);
    }

    Path data() {
        return dir.resolve("data");
    }

    Path labels() {
        return dir.resolve("labels.json");
    }

    Path state() {
        return dir.resolve("state.json");
    }

    Path log() {
        return dir.resolve("server.log");
    }

    /** A file made for one setup step (a password file, a session's SQL), removed right after it. */
    Path scratch(String what) {
        return dir.resolve("." + what);
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
