package io.orchestry.proxy.render;

import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * What the template sees: every string here already passed its {@link NginxEscaping} context check (and passes the
 * template encoder's common check again). Null or false fields switch a section off.
 *
 * @param workerProcesses {@code auto} or a number
 * @param lua             null: static upstream servers, no balancer
 */
public record ConfigView(
        String workerProcesses,
        String pidFile,
        String errorLog,
        String workerShutdownTimeout,
        String accessLog,
        String tempFolder,
        String probeToken,
        @Nullable Lua lua,
        List<Upstream> upstreams,
        List<Server> servers) {

    /**
     * @param modules     quoted absolute paths of the ndk and lua modules
     * @param luaFolder   unquoted absolute path (it goes inside the template's quoted lua_package_path)
     * @param controlPort the control server's port on 127.0.0.1
     */
    public record Lua(List<String> modules, String luaFolder, String controlPort) {
    }

    /** One upstream block; with Lua it has a placeholder server and the balancer instead of {@code servers}. */
    public record Upstream(String name, boolean leastConn, boolean ipHash, boolean lua, List<String> servers) {
    }

    /**
     * @param names           server_name values; empty for the default server ({@code _})
     * @param certificate     quoted path, null without TLS
     * @param rejectHandshake the TLS default server when no route serves any host over TLS: unknown names get no
     *                        certificate rather than another host's
     * @param notFound        no location takes {@code /}: add one that answers 404
     */
    public record Server(
            String listen,
            boolean ssl,
            boolean defaultServer,
            List<String> names,
            @Nullable String certificate,
            @Nullable String certificateKey,
            boolean rejectHandshake,
            List<Location> locations,
            boolean notFound) {
    }

    /**
     * One route in one server: {@code location <prefix>} and, for a prefix other than {@code /}, an exact
     * {@code location = <exactPath>} with the same body.
     *
     * @param prefix        ends with {@code /}
     * @param exactPath     the prefix without its trailing {@code /}; null for {@code /}
     * @param routeId       quoted
     * @param app           quoted
     * @param stripRegex    the prefix as a literal regex (no trailing {@code /}); null: the path goes upstream as it came
     * @param redirectPort  the HTTPS port to redirect to; null: no redirect
     * @param unavailable   no endpoint (without Lua): answer 503
     */
    public record Location(
            String prefix,
            @Nullable String exactPath,
            String routeId,
            String app,
            String upstream,
            @Nullable String stripRegex,
            @Nullable String redirectPort,
            boolean unavailable,
            boolean proxied,
            boolean lua,
            @Nullable String connectTimeout,
            @Nullable String readTimeout) {
    }
}
