package io.orchestry.provisioner.runtime.database.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerProcessTest {
    private static final List<String> SERVER = List.of("/pg/bin/postgres", "-D", "/d");
    private static final RunAs POSTGRES = new RunAs("postgres", 101, 104);

    @TempDir
    Path tmp;

    @Test
    void commandLine_noLimits_setsidThenTheUserSwitchThenTheServer() {
        assertEquals(List.of("setsid", "setpriv", "--reuid=101", "--regid=104", "--init-groups", "--",
                "/pg/bin/postgres", "-D", "/d"), ServerProcess.commandLine(SERVER, POSTGRES, List.of()));
    }

    @Test
    void commandLine_withCgroups_joinsThemFirst_asRoot_thenSetsid() {
        List<String> line = ServerProcess.commandLine(SERVER, POSTGRES, List.of(Path.of("/cg/memory/x/cgroup.procs")));

        assertEquals(List.of("/bin/sh", "-c"), line.subList(0, 2));
        assertTrue(line.get(2).endsWith("exec setsid \"$@\""), line.get(2));
        int separator = line.indexOf("--");
        assertEquals("/cg/memory/x/cgroup.procs", line.get(separator - 1));
        assertEquals(List.of("setpriv", "--reuid=101", "--regid=104", "--init-groups", "--", "/pg/bin/postgres", "-D", "/d"),
                line.subList(separator + 1, line.size()));
    }

    @Test
    void logTail_theLastWholeLines() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            log.append("line ").append(i).append(" of the server's log\n");
        }
        Path file = Files.writeString(tmp.resolve("server.log"), log);

        String tail = ServerProcess.logTail(file);

        assertTrue(tail.endsWith("line 99 of the server's log"), tail);
        assertTrue(tail.startsWith("line "), tail);
        assertTrue(tail.length() <= 500);
        assertEquals("", ServerProcess.logTail(tmp.resolve("missing.log")));
    }

    @Test
    void postmasterPid_theFirstLine() throws Exception {
        Files.writeString(tmp.resolve("postmaster.pid"), "4242\n/d\n1700000000\n5433\n");
        assertEquals(java.util.Optional.of(4242L), ServerProcess.postmasterPid(tmp));
        assertEquals(java.util.Optional.empty(), ServerProcess.postmasterPid(tmp.resolve("none")));
    }
}
