package io.orchestry.proxy.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The nginx executable: found once, then asked for its version, to test a configuration, or whether Lua loads. */
public final class NginxBinary {
    /** Where Debian's package puts it, looked at when PATH has none. */
    public static final Path DEBIAN = Path.of("/usr/sbin/nginx");
    /** Where Debian's libnginx-mod-http-lua puts the modules the Lua balancer needs. */
    public static final Path MODULES = Path.of("/usr/lib/nginx/modules");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern VERSION = Pattern.compile("nginx/(\\S+)");

    private final Path path;

    public NginxBinary(Path path) {
        this.path = path;
    }

    /**
     * Finds the binary: {@code configured} as a path when it has a slash, else that name on PATH, else /usr/sbin/nginx.
     *
     * @param configured {@code orchestry.proxy.nginx.binary}, {@code nginx} by default
     */
    public static Optional<NginxBinary> find(String configured) {
        String name = configured == null || configured.isBlank() ? "nginx" : configured.strip();
        List<Path> candidates = new ArrayList<>();
        if (name.contains("/")) {
            candidates.add(Path.of(name));
        } else {
            String pathVariable = System.getenv("PATH");
            if (pathVariable != null) {
                for (String folder : pathVariable.split(":")) {
                    if (!folder.isEmpty()) {
                        candidates.add(Path.of(folder, name));
                    }
                }
            }
            candidates.add(DEBIAN);
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst()
                .map(NginxBinary::new);
    }

    public Path path() {
        return path;
    }

    /** {@code nginx -v} (it answers on stderr): e.g. {@code 1.22.1}; empty when it cannot be read. */
    public String version() {
        CommandRun run = CommandRun.of(List.of(path.toString(), "-v"), COMMAND_TIMEOUT);
        Matcher matcher = VERSION.matcher(run.output());
        return run.ok() && matcher.find() ? matcher.group(1) : "";
    }

    /** {@code nginx -t -p prefix -c config}: never signals a running nginx. */
    public Nginx.TestResult test(Path prefix, Path config) {
        CommandRun run = CommandRun.of(List.of(path.toString(), "-t", "-p", prefix + "/", "-c", config.toString()),
                COMMAND_TIMEOUT);
        return new Nginx.TestResult(run.ok(), run.output());
    }

    /**
     * Whether the Lua module and its dependency load: an {@code nginx -t} of a tiny configuration with the two
     * {@code load_module} lines, in {@code scratch} (made if missing).
     */
    public boolean hasLua(Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path config = scratch.resolve("lua-probe.conf");
            Files.writeString(config, String.join("\n",
                    "load_module " + MODULES.resolve("ndk_http_module.so") + ";",
                    "load_module " + MODULES.resolve("ngx_http_lua_module.so") + ";",
                    "pid " + scratch.resolve("lua-probe.pid") + ";",
                    "error_log " + scratch.resolve("lua-probe-error.log") + ";",
                    "events { worker_connections 16; }",
                    "http { lua_shared_dict orchestry_probe 16k; access_log off; }",
                    ""));
            return test(scratch, config).ok();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Lua probe configuration in " + scratch, e);
        }
    }
}
