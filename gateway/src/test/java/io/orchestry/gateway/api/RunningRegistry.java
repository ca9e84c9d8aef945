package io.orchestry.gateway.api;

import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.launcher.ServiceProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real registry-service, started once per test JVM as a child process against the shared
 * embedded PostgreSQL, and stopped when the JVM exits.
 */
final class RunningRegistry {
    /** The gateway's configured bootstrap token in these tests: a cluster-wide admin. */
    static final String BOOTSTRAP_TOKEN = "test-bootstrap-token-0123456789abcdef";
    private static RunningRegistry instance;

    final ServiceProcess process;
    final Map<String, String> datasource;

    private RunningRegistry(ServiceProcess process, Map<String, String> datasource) {
        this.process = process;
        this.datasource = datasource;
    }

    static synchronized RunningRegistry get() {
        if (instance == null) {
            Map<String, String> datasource = EmbeddedDatabase.shared().datasourceProperties("gateway_api_test");
            Path root = Path.of(System.getProperty("orchestry.root", "..")).toAbsolutePath().normalize();
            int offset = PortOffsets.findFree(ServiceKind.REGISTRY);
            ServiceProcess registry = ServiceProcess.start(ServiceKind.REGISTRY, root, offset, Map.of(
                            "DATASOURCES_DEFAULT_URL", datasource.get("datasources.default.url"),
                            "DATASOURCES_DEFAULT_USERNAME", datasource.get("datasources.default.username"),
                            "DATASOURCES_DEFAULT_PASSWORD", datasource.get("datasources.default.password"),
                            "ORCHESTRY_REGISTRY_CREDENTIALS_KEY", randomKey()),
                    List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                    line -> System.out.println("[registry] " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "registry-stop"));
            registry.awaitReady(Duration.ofSeconds(60));
            instance = new RunningRegistry(registry, datasource);
        }
        return instance;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Properties that point a gateway at this registry and at the same database. */
    Map<String, String> gatewayProperties() {
        return Map.of(
                "orchestry.gateway.auth.bootstrap-token", BOOTSTRAP_TOKEN,
                "orchestry.gateway.registry", "127.0.0.1:" + process.grpcPort(),
                "datasources.default.url", datasource.get("datasources.default.url"),
                "datasources.default.username", datasource.get("datasources.default.username"),
                "datasources.default.password", datasource.get("datasources.default.password"));
    }
}
