package io.orchestry.provisioner.runtime.database.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerFolderTest {
    @Test
    void of_aShortPath_socketInsideTheServersFolder() {
        ServerFolder folder = ServerFolder.of(Path.of("/tmp/o/local/databases"), "orchestry-db-shop");

        assertEquals(Path.of("/tmp/o/local/databases/orchestry-db-shop/socket"), folder.socket());
        assertEquals(Path.of("/tmp/o/local/databases/orchestry-db-shop/data"), folder.data());
        assertTrue(folder.socketFits());
    }

    @Test
    void of_aPathTooLongForASocket_aShortSocketFolderPerName() {
        Path databases = Path.of("/tmp/orchestry-process/local/databases");
        String name = "orchestry-db-" + "p".repeat(60);
        ServerFolder folder = ServerFolder.of(databases, name);

        assertEquals(databases.resolve(".s"), folder.socket().getParent());
        assertTrue(folder.socketFits());
        assertNotEquals(folder.socket(), ServerFolder.of(databases, name + "x").socket());
        assertEquals(folder.socket(), ServerFolder.of(databases, name).socket());
    }

    @Test
    void deepWorkFolder_socketGoesToTheTemporaryFolder_keptApartPerServerFolder() {
        Path deep = Path.of("/" + "d".repeat(100));
        ServerFolder folder = ServerFolder.of(deep, "orchestry-db-a");
        assertTrue(folder.socketFits(), folder.socket().toString());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "orchestry-pg"), folder.socket().getParent());
        assertNotEquals(folder.socket(), ServerFolder.of(Path.of("/" + "e".repeat(100)), "orchestry-db-a").socket());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "a/b", "Orchestry-db-A", "-a", "a-", "a b", ".s"})
    void validName_refusesWhatCouldLeaveTheFolder(String name) {
        assertFalse(ServerFolder.validName(name));
    }

    @Test
    void validName_acceptsOurNames() {
        assertTrue(ServerFolder.validName("orchestry-db-shop-2"));
    }
}
