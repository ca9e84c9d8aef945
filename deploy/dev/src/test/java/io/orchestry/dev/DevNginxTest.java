package io.orchestry.dev;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevNginxTest {
    @TempDir
    Path dir;

    @Test
    void find_onPath_beforeTheFallback_andPortsMoveWithTheOffset() throws IOException {
        Path onPath = executable(dir.resolve("bin"));
        Path fallback = executable(dir.resolve("sbin"));
        DevNginx nginx = DevNginx.find("/nowhere" + File.pathSeparator + dir.resolve("bin"), List.of(fallback), 100);
        assertEquals(Optional.of(onPath), nginx.binary());
        assertEquals(List.of(8188, 8543, 8189), nginx.ports());
        assertTrue(nginx.address().startsWith("http://127.0.0.1:8188  (routes: /api/v1/routes"), nginx.address());
    }

    @Test
    void find_notOnPath_takesTheFallback_butNotAFileThatCannotRun() throws IOException {
        Path notExecutable = Files.createDirectories(dir.resolve("bin")).resolve("nginx");
        Files.writeString(notExecutable, "");
        Path fallback = executable(dir.resolve("sbin"));
        assertEquals(Optional.of(fallback), DevNginx.find(dir.resolve("bin").toString(), List.of(fallback), 0).binary());
    }

    @Test
    void environment_managedWithTheBinary_whenFound() throws IOException {
        Path binary = executable(dir.resolve("sbin"));
        Map<String, String> env = DevNginx.find("", List.of(binary), 7).environment(Path.of("/data/proxy"));
        assertEquals(Map.of("ORCHESTRY_PROXY_STATE_FOLDER", "/data/proxy", "ORCHESTRY_PROXY_NGINX_HTTP_PORT", "8095",
                "ORCHESTRY_PROXY_NGINX_HTTPS_PORT", "8450", "ORCHESTRY_PROXY_NGINX_CONTROL_PORT", "8096",
                "ORCHESTRY_PROXY_NGINX_MODE", "managed", "ORCHESTRY_PROXY_NGINX_BINARY", binary.toString()), env);
    }

    @Test
    void environment_off_whenThereIsNoNginx_andTheBannerSaysSo() {
        DevNginx none = DevNginx.find(null, List.of(dir.resolve("missing/nginx")), 0);
        assertFalse(none.found());
        Map<String, String> env = none.environment(Path.of("/data/proxy"));
        assertEquals("off", env.get("ORCHESTRY_PROXY_NGINX_MODE"));
        assertFalse(env.containsKey("ORCHESTRY_PROXY_NGINX_BINARY"));
        assertEquals("8088", env.get("ORCHESTRY_PROXY_NGINX_HTTP_PORT"));
        assertEquals("nginx not found: routes are stored, not served", none.address());
    }

    private static Path executable(Path folder) throws IOException {
        Path file = Files.createDirectories(folder).resolve("nginx");
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
