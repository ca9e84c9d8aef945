package io.orchestry.provisioner.runtime.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.domain.InstancePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessLaunchTest {
    private static final Map<String, String> ENV = Map.of("PORT", "4100", "PORT_HTTP", "4100", "PORT_ADMIN", "4101");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port=${PORT}           | --port=4100",
            "--port=$PORT             | --port=4100",
            "$PORT_HTTP:$PORT_ADMIN   | 4100:4101",
            "${PORT_HTTP}x            | 4100x",
            "$PORTX                   | $PORTX",
            "${UNKNOWN}               | ${UNKNOWN}",
            "cost $$5                 | cost $5",
            "no references            | no references",
            "trailing $               | trailing $",
    })
    void expand_references_toTheWorkloadsVariables(String arg, String expanded) {
        assertEquals(List.of(expanded), ProcessLaunch.expand(List.of(arg), ENV));
    }

    @ParameterizedTest
    @CsvSource({"http, PORT_HTTP", "admin-api, PORT_ADMIN_API", "Metrics, PORT_METRICS", "a.b, PORT_A_B"})
    void portVariable_upperCasesAndReplacesDashes(String name, String variable) {
        assertEquals(variable, ProcessLaunch.portVariable(name));
    }

    @Test
    void portEnv_firstPortIsPort_eachNamed() {
        assertEquals(Map.of("PORT", "5000", "PORT_HTTP", "5000", "PORT_GRPC", "5001"),
                ProcessLaunch.portEnv(List.of(new InstancePort("http", 5000), new InstancePort("grpc", 5001))));
        assertEquals(Map.of(), ProcessLaunch.portEnv(List.of()));
    }

    @Test
    void environment_inheritsOnlyTheFew_orchestryAndPortsWin() {
        Map<String, String> env = ProcessLaunch.environment(
                Map.of("PATH", "/usr/bin", "AWS_SECRET", "x", "HOME", "/root"),
                Map.of("APP", "1", "ORCHESTRY_APP", "spoofed", "PATH", "/opt/bin"),
                Map.of("PORT", "1"), Map.of("ORCHESTRY_APP", "web"));
        assertEquals(Map.of("PATH", "/opt/bin", "HOME", "/root", "APP", "1", "PORT", "1", "ORCHESTRY_APP", "web"), env);
    }

    @Test
    void resolve_nameOnPath_absoluteExecutable_missingNamed(@TempDir Path dir) throws Exception {
        Path tool = Files.createFile(dir.resolve("tool"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path plain = Files.createFile(dir.resolve("plain"));

        assertEquals(tool, ProcessLaunch.resolve("tool", dir, "/nonexistent:" + dir));
        assertEquals(tool, ProcessLaunch.resolve(tool.toString(), Path.of("/"), ""));
        assertEquals(tool, ProcessLaunch.resolve("./tool", dir, ""));
        NotOnNodeException notExecutable = assertThrows(NotOnNodeException.class,
                () -> ProcessLaunch.resolve(plain.toString(), dir, ""));
        assertEquals(NotOnNodeException.Missing.EXECUTABLE, notExecutable.missing());
        assertTrue(notExecutable.getMessage().contains(plain.toString()));
        NotOnNodeException missing = assertThrows(NotOnNodeException.class,
                () -> ProcessLaunch.resolve("no-such-tool", dir, dir.toString()));
        assertTrue(missing.getMessage().contains("no-such-tool"));
    }
}
