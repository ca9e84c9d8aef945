package io.orchestry.gateway.fake;

import io.orchestry.error.Violations;
import io.orchestry.proxy.v1.RouteTimeouts;
import io.orchestry.proxy.v1.TlsConfig;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks the fake proxy makes of a route, after the contract's comments and issue 11 (DNS host
 * names in ASCII/punycode, paths {@code ^/[A-Za-z0-9._~/-]*$}, PEM blocks): each bad value is a
 * violation named as the proxy names it, in the proto's snake_case ({@code hosts[1]},
 * {@code path_prefix}, {@code tls.certificate_pem}); the gateway must turn them into REST's names.
 */
final class FakeRouteRules {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern HOST = Pattern.compile("^(\\*\\.)?(" + LABEL + "\\.)*" + LABEL + "$");
    private static final Pattern PATH = Pattern.compile("^/[A-Za-z0-9._~/-]*$");
    private static final Pattern PORT_NAME = Pattern.compile("^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$");

    private FakeRouteRules() {
    }

    static void check(List<String> hosts, String pathPrefix, String portName, boolean hasTls, TlsConfig tls,
                      boolean hasTimeouts, RouteTimeouts timeouts, Violations violations) {
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            violations.require(host.length() <= 253 && HOST.matcher(host).matches(), "hosts[" + i + "]",
                    "must be a DNS host name in lower case ASCII (punycode for others), or *.example.com");
        }
        violations.require(pathPrefix.isEmpty() || PATH.matcher(pathPrefix).matches(), "path_prefix",
                "must begin with / and hold only A-Z a-z 0-9 . _ ~ / -");
        violations.require(portName.isEmpty() || PORT_NAME.matcher(portName).matches(), "port_name",
                "must be the name of one of the app's ports");
        if (hasTls) {
            violations.require(pem(tls.getCertificatePem(), "CERTIFICATE"), "tls.certificate_pem",
                    "must be a PEM certificate chain");
            violations.require(pem(tls.getPrivateKeyPem(), "PRIVATE KEY"), "tls.private_key_pem",
                    "must be a PEM private key");
        }
        if (hasTimeouts) {
            violations.require(timeouts.getConnect().getSeconds() >= 0 && timeouts.getConnect().getNanos() >= 0,
                    "timeouts.connect", "must not be negative");
            violations.require(timeouts.getRead().getSeconds() >= 0 && timeouts.getRead().getNanos() >= 0,
                    "timeouts.read", "must not be negative");
        }
    }

    private static boolean pem(String text, String type) {
        String trimmed = text.strip();
        return trimmed.startsWith("-----BEGIN ") && trimmed.contains(type + "-----") && trimmed.endsWith("-----")
                && trimmed.contains("-----END ");
    }
}
