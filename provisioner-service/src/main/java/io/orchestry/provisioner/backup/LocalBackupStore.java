package io.orchestry.provisioner.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Dumps in the node's backup folder: {@code <id>.dump} once sealed, {@code <id>.dump.partial} while pg_dump writes.
 * Sealing fsyncs the file, renames it into place atomically and fsyncs the folder, so a crash never leaves a half
 * file under a backup's name. The folder is made owner-only (dumps hold the data).
 */
public final class LocalBackupStore implements BackupStore {
    private static final String SUFFIX = ".dump";
    private static final String PARTIAL = ".dump.partial";

    private final Path folder;

    public LocalBackupStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.folder);
            if (Files.getFileStore(this.folder).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(this.folder, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the backup folder " + this.folder, e);
        }
    }

    public Path folder() {
        return folder;
    }

    @Override
    public Path target(String id) {
        Path partial = folder.resolve(BackupStore.checkId(id) + PARTIAL);
        try {
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + partial, e);
        }
        return partial;
    }

    @Override
    public void seal(String id) {
        Path partial = folder.resolve(BackupStore.checkId(id) + PARTIAL);
        Path sealed = folder.resolve(id + SUFFIX);
        try (FileChannel file = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            file.force(true);
        } catch (NoSuchFileException missing) {
            throw new BackupException("backup " + id + " has no written file to seal");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + partial, e);
        }
        try {
            Files.move(partial, sealed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal " + sealed, e);
        }
    }

    @Override
    public Path readable(String id) {
        Path sealed = folder.resolve(BackupStore.checkId(id) + SUFFIX);
        if (!Files.isRegularFile(sealed)) {
            throw new BackupException("backup " + id + " has no dump file");
        }
        return sealed;
    }

    @Override
    public long size(String id) {
        try {
            return Files.size(readable(id));
        } catch (IOException e) {
            throw new BackupException("cannot read the size of backup " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String id) {
        BackupStore.checkId(id);
        try {
            Files.deleteIfExists(folder.resolve(id + PARTIAL));
            Files.deleteIfExists(folder.resolve(id + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete backup " + id, e);
        }
    }

    @Override
    public List<String> ids() {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).filter(n -> ID.matcher(n).matches())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
