package io.orchestry.proxy.render;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the proxy's nginx runs, for the renderer.
 *
 * @param listenAddress          where the public servers listen, e.g. {@code 127.0.0.1} (dev, tests) or {@code 0.0.0.0}
 * @param httpPort               plain HTTP
 * @param httpsPort              TLS routes; 0: no TLS server is rendered (then a TLS route is refused by the applier)
 * @param lua                    render the Lua balancer (shared dict, balancer_by_lua, control server) instead of
 *                               static upstream servers
 * @param controlPort            the Lua control server, always on 127.0.0.1 (0 without Lua)
 * @param luaFolder              where {@code orchestry_balancer.lua} is (lua_package_path)
 * @param accessLog              the JSON access log the metrics tail
 * @param errorLog               nginx's error log
 * @param pidFile                the master's pid file
 * @param tempFolder             client body and proxy temp paths (nginx must be able to write there)
 * @param workerProcesses        0: auto
 * @param workerShutdownTimeout  how long an old generation's workers may finish their requests after a reload
 * @param probeToken             a per-process secret: a request carrying {@code X-Orchestry-Probe: <token>} gets
 *                               {@code X-Orchestry-Route} and {@code X-Orchestry-Upstream} response headers, which the
 *                               applier's probes read
 */
public record NginxSettings(
        String listenAddress,
        int httpPort,
        int httpsPort,
        boolean lua,
        int controlPort,
        Path luaFolder,
        Path accessLog,
        Path errorLog,
        Path pidFile,
        Path tempFolder,
        int workerProcesses,
        Duration workerShutdownTimeout,
        String probeToken) {
}
