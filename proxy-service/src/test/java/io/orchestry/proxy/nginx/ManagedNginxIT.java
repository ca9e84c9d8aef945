package io.orchestry.proxy.nginx;

import io.orchestry.proxy.render.NginxSettings;
import io.orchestry.proxy.render.ProxyModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagedNginxIT {
    @TempDir
    Path state;
    private ManagedNginx nginx;
    private TestUpstream upstream;
    private Path config;
    private int port;

    @BeforeEach
    void setUp() {
        NginxBinary binary = NginxTests.binary();
        port = NginxTests.freePort();
        NginxSettings settings = NginxTests.settings(state, port);
        upstream = new TestUpstream("one");
        config = StateFolder.write(state.resolve("nginx.conf"), new TestRenderer().render(new ProxyModel(settings,
                List.of(new io.orchestry.proxy.render.RoutePlan(NginxTests.route("r-1", "one", "/"),
                        List.of(upstream.endpoint()), null, null)))));
        nginx = NginxTests.managed(binary, settings, state);
    }

    @AfterEach
    void tearDown() {
        if (nginx != null) {
            nginx.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private String get() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void start_realNginx_runsWithWorkersAndServes() throws Exception {
        assertTrue(nginx.version().matches("\\d+\\.\\d+\\.\\d+"), nginx.version());
        nginx.start(config);
        assertEquals(Nginx.State.RUNNING, nginx.state());
        assertTrue(nginx.pid() > 0);
        assertEquals(1, nginx.workerPids().size());
        assertEquals(1, nginx.generations());
        assertEquals("200 one", get());
        nginx.start(config); // idempotent while running
        assertEquals(Nginx.State.RUNNING, nginx.state());
    }

    @Test
    void hasLua_debianModulesInstalled_matchesTheModuleFiles() {
        boolean modules = Files.exists(NginxBinary.MODULES.resolve("ngx_http_lua_module.so"));
        assertEquals(modules, nginx.hasLua());
    }

    @Test
    void reload_running_newWorkerPidsAndStillServes() throws Exception {
        nginx.start(config);
        Set<Long> before = nginx.workerPids();
        long master = nginx.pid();
        nginx.reload();
        Set<Long> after = nginx.workerPids();
        assertFalse(after.isEmpty());
        assertTrue(java.util.Collections.disjoint(before, after), before + " vs " + after);
        assertEquals(master, nginx.pid());
        assertEquals("200 one", get());
    }

    @Test
    void reload_configBroken_throwsWithNginxErrorAndKeepsServing() throws Exception {
        nginx.start(config);
        Set<Long> before = nginx.workerPids();
        Files.writeString(config, Files.readString(config).replace("server_name _;", "server_name _; bogus_directive;"));
        NginxException thrown = org.junit.jupiter.api.Assertions.assertThrows(NginxException.class, nginx::reload);
        assertTrue(thrown.getMessage().contains("bogus_directive"), thrown.getMessage());
        assertEquals(before, nginx.workerPids());
        assertEquals("200 one", get());
    }

    @Test
    void supervisor_masterKilled_restartsIt() throws Exception {
        nginx.start(config);
        long first = nginx.pid();
        Set<Long> workers = nginx.workerPids();
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL: no chance to stop its workers
        NginxTests.await("a new master", () -> nginx.pid() != 0 && nginx.pid() != first
                && nginx.state() == Nginx.State.RUNNING);
        assertTrue(workers.stream().noneMatch(NginxProcesses::isWorker), "the dead master's workers were killed");
        assertEquals("200 one", get());
    }

    @Test
    void close_running_leavesNoProcess() {
        nginx.start(config);
        long master = nginx.pid();
        Set<Long> workers = nginx.workerPids();
        nginx.close();
        assertEquals(Nginx.State.STOPPED, nginx.state());
        assertEquals(0, nginx.pid());
        assertFalse(NginxProcesses.alive(master));
        NginxTests.await("workers gone", () -> workers.stream().noneMatch(NginxProcesses::alive));
        assertNotEquals(Nginx.State.RUNNING, nginx.state());
    }
}
