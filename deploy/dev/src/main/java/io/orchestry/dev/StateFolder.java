package io.orchestry.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where dev mode keeps its state: the {@code --data-dir} folder, kept across runs and locked while
 * one dev mode uses it, or a temporary folder removed at exit. It holds the process driver's work
 * folder ({@code process/}), and when kept, PostgreSQL's data ({@code postgres/}) and the admin
 * token ({@code admin-token}, mode 600).
 */
final class StateFolder implements AutoCloseable {
    private static final String TEMPORARY_PREFIX = "orchestry-dev-";
    private static final String OWNER_FILE = "orchestry-owner.pid";
    private static final String LOCK_FILE = "orchestry-dev.lock";
    private static final String TOKEN_FILE = "admin-token";

    private final Path folder;
    private final boolean kept;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateFolder(Path folder, boolean kept, FileChannel lockChannel, FileLock lock) {
        this.folder = folder;
        this.kept = kept;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) a folder kept across runs and locks it; another dev mode that
     * holds the lock makes this fail with a message that says so. The lock goes with this process,
     * even when it is killed.
     */
    static StateFolder kept(Path folder) {
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = new String(Files.readAllBytes(folder.resolve(LOCK_FILE)), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("another dev mode uses the data dir " + folder
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": stop it first, or pass another --data-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new StateFolder(folder, true, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not use the data dir " + folder + ": " + e.getMessage(), e);
        }
    }

    /** A new temporary folder, removed by {@link #close()}; folders of dev modes that were killed are removed first. */
    static StateFolder temporary() {
        removeAbandoned();
        try {
            Path folder = Files.createTempDirectory(TEMPORARY_PREFIX);
            Files.writeString(folder.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return new StateFolder(folder, false, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a temporary folder", e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            return null;
        }
    }

    Path folder() {
        return folder;
    }

    boolean kept() {
        return kept;
    }

    /** PostgreSQL's data folder (used when the folder is kept). */
    Path postgresDirectory() {
        return folder.resolve("postgres");
    }

    /**
     * The process driver's work folder: its replicas' folders and logs, and its databases' data folders. Databases run
     * as user postgres, so this folder and the data folder above it are made traversable by others (x, not r: nothing
     * in them can be listed; what is private inside stays 0700 or 0600).
     */
    Path processWorkDirectory() {
        return traversable(folder.resolve("process"));
    }

    /**
     * The gateway's bootstrap admin token: the one the environment gives; else, in a kept folder, the
     * one stored there (made and stored, mode 600, on the first run); else a new random one.
     */
    String adminToken(Optional<String> fromEnvironment) {
        if (fromEnvironment.isPresent() && !fromEnvironment.get().isBlank()) {
            return fromEnvironment.get();
        }
        return keptSecret(TOKEN_FILE, StateFolder::randomToken);
    }

    /**
     * A 256-bit AES key (base64) for the secrets a service seals at rest (node credentials, database passwords): in a
     * kept folder the one stored in {@code file} (made on the first run), so what was sealed opens after a restart;
     * else a new one.
     */
    String sealingKey(String file) {
        return keptSecret(file, () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        });
    }

    /**
     * The proxy service's folder: nginx's prefix, the rendered revisions, certificates and keys (0600 inside), the access
     * log. Made traversable by others like the process work folder (x, not r), so that nginx's workers, which a root
     * master runs as another user, can reach the files they are meant to read.
     */
    Path proxyDirectory() {
        return traversable(folder.resolve("proxy"));
    }

    /** {@code child} of the folder, made if missing; it and the folder traversable by others (x, not r). */
    private Path traversable(Path child) {
        try {
            Files.createDirectories(child);
            for (Path p : new Path[] {folder, child}) {
                java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return child;
    }

    /** The database backups' folder. */
    Path backupDirectory() {
        Path backups = folder.resolve("backups");
        try {
            Files.createDirectories(backups);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return backups;
    }

    private String keptSecret(String name, java.util.function.Supplier<String> make) {
        if (!kept) {
            return make.get();
        }
        Path file = folder.resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    return stored;
                }
            }
            String secret = make.get();
            Path fresh = folder.resolve(name + ".new");
            Files.deleteIfExists(fresh);
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(fresh, secret + "\n", StandardCharsets.UTF_8);
            Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep " + name + " in " + file, e);
        }
    }

    private static String randomToken() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "orch_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Releases the lock of a kept folder; removes a temporary one. */
    @Override
    public void close() {
        if (kept) {
            try {
                lock.release();
            } catch (IOException e) {
                // the lock goes with the channel
            }
            closeQuietly(lockChannel);
        } else {
            deleteTree(folder);
        }
    }

    private static void removeAbandoned() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> folders = Files.list(temp)) {
            folders.filter(folder -> folder.getFileName().toString().startsWith(TEMPORARY_PREFIX))
                    .filter(folder -> Files.isRegularFile(folder.resolve(OWNER_FILE)))
                    .filter(folder -> !isAlive(folder.resolve(OWNER_FILE)))
                    .forEach(StateFolder::deleteTree);
        } catch (IOException | UncheckedIOException e) {
            // nothing to clean, or not readable: not this run's concern
        }
    }

    private static boolean isAlive(Path ownerFile) {
        try {
            long pid = Long.parseLong(Files.readString(ownerFile).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return true; // unreadable: leave it
        }
    }

    static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
