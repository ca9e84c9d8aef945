package io.orchestry.provisioner.runtime.database.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunAsTest {
    @TempDir
    Path tmp;

    @Test
    void lookup_theUsersIdsFromPasswd() throws Exception {
        Path passwd = Files.writeString(tmp.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator:/var/lib/postgresql:/bin/bash\n");

        assertEquals(Optional.of(new RunAs("postgres", 101, 104)), RunAs.lookup("postgres", passwd));
        assertEquals(Optional.empty(), RunAs.lookup("nobody-here", passwd));
        assertEquals(Optional.empty(), RunAs.lookup("postgres", tmp.resolve("missing")));
    }

    @Test
    void wrap_switchesThroughSetprivWhichExecs_orLeavesTheCommandAsIs() {
        List<String> command = List.of("/usr/lib/postgresql/15/bin/postgres", "-D", "/d");

        assertEquals(List.of("setpriv", "--reuid=101", "--regid=104", "--init-groups", "--",
                "/usr/lib/postgresql/15/bin/postgres", "-D", "/d"), new RunAs("postgres", 101, 104).wrap(command));
        assertEquals(command, RunAs.self().wrap(command));
    }
}
