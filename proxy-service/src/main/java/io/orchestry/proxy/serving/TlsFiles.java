package io.orchestry.proxy.serving;

import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.nginx.StateFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes each TLS route's certificate chain ({@code <id>.crt}, 0644) and key ({@code <id>.key}, 0600: nginx's master
 * reads keys as root before it starts workers) into the TLS folder, only when their content changed, each through a
 * temporary file and one rename; removes the files of routes that are gone.
 */
final class TlsFiles {
    private static final Set<PosixFilePermission> KEY = PosixFilePermissions.fromString("rw-------");
    private final Path folder;

    TlsFiles(Path folder) {
        this.folder = folder;
    }

    Path certificate(Route route) {
        return folder.resolve(route.id() + ".crt");
    }

    Path key(Route route) {
        return folder.resolve(route.id() + ".key");
    }

    /** Writes the files of every TLS route among these and removes every other route's. */
    synchronized void sync(Collection<Route> routes) {
        StateFolder.folder(folder);
        Set<String> kept = new HashSet<>();
        for (Route route : routes) {
            if (route.tls() == null || route.tls().privateKeyPem() == null) {
                continue;
            }
            write(certificate(route), route.tls().certificatePem(), StateFolder.FILE);
            write(key(route), route.tls().privateKeyPem(), KEY);
            kept.add(certificate(route).getFileName().toString());
            kept.add(key(route).getFileName().toString());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (!kept.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not tidy " + folder, e);
        }
    }

    private static void write(Path file, String content, Set<PosixFilePermission> permissions) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)
                    && Files.getPosixFilePermissions(file).equals(permissions)) {
                return;
            }
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(permissions));
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
