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
 * Writes each TLS route's certificate chain ({@code <id>-<hash>.crt}, 0644) and key ({@code <id>-<hash>.key}, 0600:
 * nginx's master reads keys as root before it starts workers) into the TLS folder, each through a temporary file and one
 * rename. The names carry a hash of the content, so a renewed certificate changes the rendered configuration (a new
 * revision, a reload) and never rewrites a file a running or restorable revision names; files named by neither the
 * newest nor the one before are removed.
 */
final class TlsFiles {
    private static final Set<PosixFilePermission> KEY = PosixFilePermissions.fromString("rw-------");
    private final Path folder;
    private Set<String> previous = Set.of();

    TlsFiles(Path folder) {
        this.folder = folder;
    }

    Path certificate(Route route) {
        return folder.resolve(route.id() + "-" + hash(route.tls().certificatePem()) + ".crt");
    }

    Path key(Route route) {
        return folder.resolve(route.id() + "-" + hash(route.tls().privateKeyPem()) + ".key");
    }

    private static String hash(String content) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Writes the files of every TLS route among these; removes those neither these nor the previous call named. */
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
        Set<String> named = new HashSet<>(kept);
        named.addAll(previous);
        previous = Set.copyOf(kept);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (!named.contains(file.getFileName().toString())) {
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
