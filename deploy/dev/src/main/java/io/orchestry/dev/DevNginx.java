package io.orchestry.dev;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dev mode's nginx: the binary it found ({@code nginx} on {@code PATH}, else {@code /usr/sbin/nginx},
 * which is not on a normal user's PATH on Debian), the ports it gets (8088 HTTP, 8443 HTTPS and the
 * Lua balancer's control port 8089, all on 127.0.0.1 and moved by the port offset), and what the
 * proxy service is told: mode {@code managed} with that binary, or {@code off} when there is none
 * (routes are stored, not served).
 *
 * @param binary absent: no nginx here
 */
record DevNginx(Optional<Path> binary, int httpPort, int httpsPort, int controlPort) {
    static final int HTTP_PORT = 8088;
    static final int HTTPS_PORT = 8443;
    static final int CONTROL_PORT = 8089;
    static final List<Path> FALLBACKS = List.of(Path.of("/usr/sbin/nginx"));
    static final String NOT_FOUND = "nginx not found: routes are stored, not served";

    /** nginx on {@code pathVariable} (the {@code PATH} value), else the first of {@code fallbacks} that can be run. */
    static DevNginx find(String pathVariable, List<Path> fallbacks, int offset) {
        List<Path> candidates = new ArrayList<>();
        if (pathVariable != null) {
            for (String folder : pathVariable.split(File.pathSeparator, 0)) {
                if (!folder.isBlank()) {
                    candidates.add(Path.of(folder, "nginx"));
                }
            }
        }
        candidates.addAll(fallbacks);
        Optional<Path> found = candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .map(p -> p.toAbsolutePath().normalize()).findFirst();
        return new DevNginx(found, HTTP_PORT + offset, HTTPS_PORT + offset, CONTROL_PORT + offset);
    }

    boolean found() {
        return binary.isPresent();
    }

    List<Integer> ports() {
        return List.of(httpPort, httpsPort, controlPort);
    }

    /** The proxy service's settings: its state folder, nginx's ports, and whether it runs nginx. */
    Map<String, String> environment(Path stateFolder) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORCHESTRY_PROXY_STATE_FOLDER", stateFolder.toString());
        env.put("ORCHESTRY_PROXY_NGINX_HTTP_PORT", Integer.toString(httpPort));
        env.put("ORCHESTRY_PROXY_NGINX_HTTPS_PORT", Integer.toString(httpsPort));
        env.put("ORCHESTRY_PROXY_NGINX_CONTROL_PORT", Integer.toString(controlPort));
        env.put("ORCHESTRY_PROXY_NGINX_MODE", found() ? "managed" : "off");
        binary.ifPresent(b -> env.put("ORCHESTRY_PROXY_NGINX_BINARY", b.toString()));
        return env;
    }

    /** What the banner says where the services are listed. */
    String address() {
        return found() ? "http://127.0.0.1:" + httpPort + "  (routes: /api/v1/routes; HTTPS " + httpsPort + ", Lua control "
                + controlPort + ", 127.0.0.1 only)" : NOT_FOUND;
    }
}
