package io.orchestry.demo;

import java.util.Map;

/**
 * What the demo app reads from its environment.
 *
 * @param host          HOST, default 127.0.0.1 (a container sets 0.0.0.0)
 * @param port          PORT, default 8000 (0: any free port)
 * @param unhealthy     DEMO_UNHEALTHY=1: /health answers 503 from the start
 * @param exitAfterMs   DEMO_EXIT_AFTER_MS: exit(3) that long after the start (crash tests); 0: never
 * @param ignoreSigterm DEMO_IGNORE_SIGTERM=1: log SIGTERM and keep running (tests of the kill after the grace)
 */
public record DemoSettings(String host, int port, String instance, String app, String revision, String project,
                           boolean unhealthy, long exitAfterMs, boolean ignoreSigterm) {

    public static DemoSettings from(Map<String, String> env) {
        return new DemoSettings(
                env.getOrDefault("HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("PORT", "8000")),
                env.getOrDefault("ORCHESTRY_INSTANCE", ""),
                env.getOrDefault("ORCHESTRY_APP", ""),
                env.getOrDefault("ORCHESTRY_REVISION", ""),
                env.getOrDefault("ORCHESTRY_PROJECT", ""),
                "1".equals(env.get("DEMO_UNHEALTHY")),
                Long.parseLong(env.getOrDefault("DEMO_EXIT_AFTER_MS", "0")),
                "1".equals(env.get("DEMO_IGNORE_SIGTERM")));
    }
}
