package io.orchestry.dev;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateFolderTest {
    private Path scratch;

    @AfterEach
    void removeScratch() {
        if (scratch != null) {
            StateFolder.deleteTree(scratch);
        }
    }

    @Test
    void temporary_isRemovedOnClose_andTokensAreFresh() {
        Path folder;
        try (StateFolder state = StateFolder.temporary()) {
            folder = state.folder();
            assertFalse(state.kept());
            assertTrue(Files.isDirectory(state.processWorkDirectory()));
            assertNotEquals(state.adminToken(Optional.empty()), state.adminToken(Optional.empty()));
        }
        assertFalse(Files.exists(folder));
    }

    @Test
    void kept_storesTheTokenWithMode600_andGivesItBackNextTime() throws Exception {
        scratch = Files.createTempDirectory("state-folder-test-");
        Path data = scratch.resolve("data");
        String first;
        try (StateFolder state = StateFolder.kept(data)) {
            first = state.adminToken(Optional.empty());
            assertEquals(data.resolve("process"), state.processWorkDirectory());
            assertEquals(data.resolve("proxy"), state.proxyDirectory());
            assertTrue(Files.getPosixFilePermissions(data.resolve("proxy")).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                    && Files.getPosixFilePermissions(data).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE),
                    "nginx's workers can reach into the proxy folder");
            assertEquals(state.sealingKey("proxy.key"), state.sealingKey("proxy.key"), "the proxy's key is kept");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token"))));
        try (StateFolder again = StateFolder.kept(data)) {
            assertEquals(first, again.adminToken(Optional.empty()));
            assertEquals("from-env", again.adminToken(Optional.of("from-env")), "the environment's token wins");
        }
        assertTrue(Files.isDirectory(data), "a kept folder stays");
    }

    @Test
    void kept_lockedByAnotherProcess_failsWithAClearMessage() throws Exception {
        scratch = Files.createTempDirectory("state-folder-test-");
        Path data = scratch.resolve("data");
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), data.toString()).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("LOCKED", line);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> StateFolder.kept(data));
            assertTrue(refused.getMessage().contains("another dev mode uses the data dir " + data + " (pid " + holder.pid() + ")"),
                    refused.getMessage());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // the lock went with the killed process
        StateFolder.kept(data).close();
    }

    /** Holds a kept folder until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            StateFolder.kept(Path.of(args[0]));
            System.out.println("LOCKED");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
