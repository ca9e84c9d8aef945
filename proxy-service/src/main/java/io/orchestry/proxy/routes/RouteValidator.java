package io.orchestry.proxy.routes;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.Violations;
import io.orchestry.names.ResourceNames;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.RouteRequest;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.domain.RouteTls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a route request at the edge, before anything is stored: every value that can reach nginx.conf must match a
 * strict pattern (control characters, {@code ;{}$"'#\} and whitespace cannot), and every problem is a field violation
 * naming the proto field ({@code hosts[1]}, {@code path_prefix}, {@code tls.certificate_pem}). Pure; the app's existence
 * and ports are checked afterwards against the provisioner.
 */
public final class RouteValidator {
    public static final int MAX_HOSTS = 32;
    public static final int MAX_HOST_LENGTH = 253;
    public static final int MAX_PATH_LENGTH = 256;
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern PATH = Pattern.compile("^/[A-Za-z0-9._~/-]*$");

    /** A request that passed: hosts lower-cased, the path "/" when none, load balancing resolved, TLS parsed. */
    public record Valid(String app, List<String> hosts, String pathPrefix, boolean stripPrefix, String portName,
                        @Nullable RouteTls tls, LoadBalancing loadBalancing, RouteTimeouts timeouts, boolean isDefault) {
    }

    private RouteValidator() {
    }

    /**
     * @param now for the certificate's expiry
     * @throws io.orchestry.error.InvalidArgumentException listing every violation
     */
    public static Valid validate(RouteRequest request, Instant now) {
        Violations violations = new Violations();
        ResourceNames.checkName(violations, "app", request.app());
        List<String> hosts = hosts(violations, request.hosts());
        String path = pathPrefix(violations, request.pathPrefix());
        String port = request.portName() == null ? "" : request.portName();
        if (!port.isEmpty()) {
            ResourceNames.checkName(violations, "port_name", port);
        }
        timeout(violations, "timeouts.connect", request.timeouts().connect());
        timeout(violations, "timeouts.read", request.timeouts().read());
        RouteTls tls = request.tls() == null ? null : TlsMaterial.check(violations, request.tls(), now);
        violations.throwIfAny();
        LoadBalancing balancing = request.loadBalancing() == null ? LoadBalancing.ROUND_ROBIN : request.loadBalancing();
        return new Valid(request.app(), hosts, path, request.stripPrefix(), port, tls, balancing, request.timeouts(),
                request.isDefault());
    }

    static List<String> hosts(Violations violations, List<String> hosts) {
        if (!violations.require(hosts.size() <= MAX_HOSTS, "hosts", "at most " + MAX_HOSTS + " host names")) {
            return List.of();
        }
        List<String> normalized = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            String field = "hosts[" + i + "]";
            String host = hostProblem(hosts.get(i), field, violations);
            if (host != null) {
                violations.require(seen.add(host), field, "duplicate host name " + host);
                normalized.add(host);
            }
        }
        return normalized;
    }

    /** The host lower-cased, or null after recording why it is refused. */
    private static String hostProblem(String raw, String field, Violations violations) {
        if (raw == null || raw.isEmpty()) {
            violations.add(field, "must not be empty");
            return null;
        }
        if (!raw.chars().allMatch(c -> c < 0x80)) {
            violations.add(field, "must be ASCII: write international names in punycode (xn--...); look-alike letters"
                    + " from other scripts are refused");
            return null;
        }
        String host = raw.toLowerCase(Locale.ROOT);
        if (host.length() > MAX_HOST_LENGTH) {
            violations.add(field, "must be at most " + MAX_HOST_LENGTH + " characters");
            return null;
        }
        String name = host.startsWith("*.") ? host.substring(2) : host;
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                violations.add(field, "must be a DNS name: labels of letters, digits and '-' (not at either end), 1 to 63"
                        + " characters, separated by '.', optionally after a leading '*.'");
                return null;
            }
        }
        return host;
    }

    static String pathPrefix(Violations violations, String raw) {
        if (raw == null || raw.isEmpty()) {
            return "/";
        }
        if (!violations.require(raw.length() <= MAX_PATH_LENGTH, "path_prefix", "must be at most " + MAX_PATH_LENGTH + " characters")) {
            return raw;
        }
        if (!violations.require(PATH.matcher(raw).matches(), "path_prefix",
                "must begin with '/' and hold only letters, digits and . _ ~ / -")) {
            return raw;
        }
        violations.require(!raw.contains("//"), "path_prefix", "must not contain '//'");
        String segments = raw + "/";
        violations.require(!segments.contains("/./") && !segments.contains("/../"), "path_prefix",
                "must not contain '.' or '..' segments");
        // "/api/" and "/api" route the same requests (the renderer takes both): one spelling, so the overlap check sees it
        return raw.length() > 1 && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    static void timeout(Violations violations, String field, @Nullable Duration timeout) {
        if (timeout == null) {
            return;
        }
        if (violations.require(timeout.compareTo(MIN_TIMEOUT) >= 0 && timeout.compareTo(MAX_TIMEOUT) <= 0, field,
                "must be 1 ms to 1 h")) {
            violations.require(timeout.getNano() % 1_000_000 == 0, field, "must be whole milliseconds");
        }
    }
}
