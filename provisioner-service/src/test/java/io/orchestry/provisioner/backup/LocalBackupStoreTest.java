package io.orchestry.provisioner.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBackupStoreTest {
    @TempDir
    Path temp;

    @Test
    void seal_writtenTarget_listedReadableWithItsSize() throws IOException {
        LocalBackupStore store = new LocalBackupStore(temp.resolve("backups"));
        Files.write(store.target("b-1"), new byte[]{1, 2, 3});
        assertEquals(List.of(), store.ids(), "not listed before it is sealed");
        store.seal("b-1");
        assertEquals(List.of("b-1"), store.ids());
        assertEquals(3, store.size("b-1"));
        assertEquals(temp.resolve("backups").resolve("b-1.dump"), store.readable("b-1"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.folder())));
    }

    @Test
    void target_earlierUnsealedAttempt_cleared() throws IOException {
        LocalBackupStore store = new LocalBackupStore(temp);
        Files.write(store.target("b1"), new byte[]{1, 2, 3});
        assertFalse(Files.exists(store.target("b1")));
    }

    @Test
    void delete_sealedAndUnsealed_nothingLeft() throws IOException {
        LocalBackupStore store = new LocalBackupStore(temp);
        Files.write(store.target("a"), new byte[]{1});
        store.seal("a");
        Files.write(store.target("b"), new byte[]{1});
        store.delete("a");
        store.delete("b");
        store.delete("never-there");
        try (var files = Files.list(temp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void readableAndSize_noSuchBackup_clearError() {
        LocalBackupStore store = new LocalBackupStore(temp);
        assertEquals("backup nope has no dump file", assertThrows(BackupException.class, () -> store.readable("nope")).getMessage());
        assertThrows(BackupException.class, () -> store.size("nope"));
        assertEquals("backup nope has no written file to seal",
                assertThrows(BackupException.class, () -> store.seal("nope")).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc/passwd", "a/b", ".hidden", "-x", "a b", "a.dump", "é"})
    void everyMethod_badId_rejectedBeforeAPath(String id) {
        LocalBackupStore store = new LocalBackupStore(temp);
        assertThrows(IllegalArgumentException.class, () -> store.target(id));
        assertThrows(IllegalArgumentException.class, () -> store.seal(id));
        assertThrows(IllegalArgumentException.class, () -> store.readable(id));
        assertThrows(IllegalArgumentException.class, () -> store.delete(id));
        assertTrue(Files.exists(temp));
    }
}
