package io.orchestry.proxy.nginx;

import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An nginx the test starts itself, standing in for an operator's: reloaded through its pid file, never stopped. */
class ExternalNginxIT {
    @TempDir
    Path state;
    private Process operators;

    @AfterEach
    void tearDown() throws Exception {
        if (operators != null && operators.isAlive()) {
            ProcessHandle.of(operators.pid()).ifPresent(master -> master.descendants().toList()
                    .forEach(ProcessHandle::destroyForcibly));
            operators.destroyForcibly();
            operators.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void reload_externalMaster_newWorkersAndCloseLeavesItRunning() throws Exception {
        NginxBinary binary = NginxTests.binary();
        NginxSettings settings = NginxTests.settings(state, NginxTests.freePort());
        StateFolder.folder(state.resolve("logs"));
        Path config = StateFolder.write(state.resolve("nginx.conf"), new TestRenderer().render(
                new ProxyModel(settings, List.<RoutePlan>of())));
        ExternalNginx nginx = new ExternalNginx(binary, state, settings.pidFile(), settings.errorLog(),
                Duration.ofSeconds(10));
        assertEquals(Nginx.State.STOPPED, nginx.state());
        assertThrows(NginxException.class, () -> nginx.start(config));

        operators = new ProcessBuilder(binary.path().toString(), "-p", state + "/", "-c", config.toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        NginxTests.await("the external nginx", () -> nginx.pid() == operators.pid() && !nginx.workerPids().isEmpty());
        nginx.start(config); // only checks that it runs
        assertEquals(Nginx.State.RUNNING, nginx.state());
        assertTrue(nginx.test(config).ok());

        Set<Long> before = nginx.workerPids();
        nginx.reload();
        assertTrue(Collections.disjoint(before, nginx.workerPids()));
        Files.writeString(config, Files.readString(config).replace("server_name _;", "server_name _; nonsense;"));
        assertThrows(NginxException.class, nginx::reload);
        assertFalse(nginx.lastError().isEmpty());

        nginx.close();
        assertTrue(operators.isAlive(), "an external nginx is not ours to stop");
    }
}
