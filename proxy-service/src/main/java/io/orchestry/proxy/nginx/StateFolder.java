package io.orchestry.proxy.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The proxy's state folder, readable by nginx's workers. Run as root, the master switches its workers to {@code nobody};
 * we keep them unprivileged (no {@code user root;}) and instead open our folders to others (r-x) and the files workers
 * read to others (r--), e.g. the Lua balancer. Private keys stay 0600: the master reads certificates and keys itself,
 * as root, when it loads a configuration.
 */
public final class StateFolder {
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwxr-xr-x");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

    private StateFolder() {
    }

    /** Makes the folder (and its missing parents) and opens it to nginx's workers. */
    public static Path folder(Path folder) {
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, FOLDER);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the folder " + folder, e);
        }
    }

    /** Writes a file nginx or its workers read (never a key), readable by others. */
    public static Path write(Path file, String content) {
        try {
            folder(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, FILE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
