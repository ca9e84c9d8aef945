package io.orchestry.proxy.routes;

import io.orchestry.error.FieldViolation;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.RouteRequest;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.fakes.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteValidatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final TestCertificates.Pair RSA = TestCertificates.rsa("example.com", NOW.minus(1, ChronoUnit.DAYS),
            NOW.plus(90, ChronoUnit.DAYS));
    private static final TestCertificates.Pair EC = TestCertificates.ec("example.com", NOW.minus(1, ChronoUnit.DAYS),
            NOW.plus(90, ChronoUnit.DAYS));

    static RouteRequest request(String app, List<String> hosts, String path, String port, RouteRequest.Tls tls) {
        return new RouteRequest(app, hosts, path, false, port, tls, null, RouteTimeouts.DEFAULTS, false);
    }

    static RouteRequest plain() {
        return request("web", List.of("example.com"), "/api", "http", null);
    }

    static List<String> fields(Runnable call) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, call::run);
        return e.violations().stream().map(FieldViolation::field).toList();
    }

    /** One bad value in one field at a time; the answer names that field and nothing is accepted. */
    static Stream<Arguments> injections() {
        List<String> attacks = List.of("a;b", "a{b", "a}b", "a\nb", "a$b", "a\"b", "a'b", "a#b", "a\\b", "a b", "a\tb",
                "a\u0000b", "ex\u0430mple.com", "exa\u200Bmple", "", "example.com;", "x}; server { listen 1",
                "ex\u0430mple");
        List<Arguments> cases = new ArrayList<>();
        for (String attack : attacks) {
            cases.add(Arguments.of("app", request(attack, List.of("example.com"), "/", "http", null)));
            cases.add(Arguments.of("hosts[1]", request("web", List.of("ok.example.com", attack), "/", "http", null)));
            if (!attack.isEmpty()) {
                // an empty path prefix means "/", an empty port name the app's first port: both allowed
                cases.add(Arguments.of("path_prefix", request("web", List.of(), "/" + attack, "http", null)));
                cases.add(Arguments.of("port_name", request("web", List.of(), "/", attack, null)));
            } else {
                // empty PEMs: tls_emptyValues_areRefusedNamingBoth
                continue;
            }
            cases.add(Arguments.of("tls.certificate_pem", request("web", List.of(), "/", "http",
                    new RouteRequest.Tls(RSA.certificatePem().replace("\n-----END", attack + "\n-----END"), RSA.pkcs8Pem(), false))));
            cases.add(Arguments.of("tls.private_key_pem", request("web", List.of(), "/", "http",
                    new RouteRequest.Tls(RSA.certificatePem(), RSA.pkcs8Pem().replace("\n-----END", attack + "\n-----END"), false))));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("injections")
    void injection_inAnyField_isRefusedNamingTheField(String field, RouteRequest request) {
        assertEquals(List.of(field), fields(() -> RouteValidator.validate(request, NOW)));
    }

    @Test
    void plainRoute_isValid_andNormalized() {
        var valid = RouteValidator.validate(request("web", List.of("Example.COM", "*.Example.com", "xn--bcher-kva.example"),
                "", "", null), NOW);
        assertEquals(List.of("example.com", "*.example.com", "xn--bcher-kva.example"), valid.hosts());
        assertEquals("/", valid.pathPrefix());
        assertEquals("", valid.portName());
        assertEquals(LoadBalancing.ROUND_ROBIN, valid.loadBalancing());
    }

    @Test
    void cyrillicLookAlike_isRefused_sayingUsePunycode() {
        var e = assertThrows(InvalidArgumentException.class, () -> RouteValidator.validate(
                request("web", List.of("ex\u0430mple.com"), "/", "", null), NOW));
        assertTrue(e.violations().get(0).message().contains("punycode"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "-example.com", "example-.com", "exa_mple.com", "example..com", ".example.com", "example.com.", "*.*.example.com",
            "a*.example.com", "*", "*.", "under_score"})
    void badHost_isRefused(String host) {
        assertEquals(List.of("hosts[0]"), fields(() -> RouteValidator.validate(request("web", List.of(host), "/", "", null), NOW)));
    }

    @Test
    void hosts_duplicatesTooLongAndTooMany_areRefused() {
        assertEquals(List.of("hosts[1]"), fields(() -> RouteValidator.validate(
                request("web", List.of("a.example", "A.example"), "/", "", null), NOW)));
        String label = "a".repeat(63);
        String long254 = String.join(".", label, label, label, "a".repeat(61)) + "";
        assertEquals(List.of("hosts[0]"), fields(() -> RouteValidator.validate(
                request("web", List.of(long254 + "a"), "/", "", null), NOW)));
        assertEquals(List.of("hosts[0]"), fields(() -> RouteValidator.validate(
                request("web", List.of("a".repeat(64) + ".example"), "/", "", null), NOW)));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add("h" + i + ".example");
        }
        assertEquals(List.of("hosts"), fields(() -> RouteValidator.validate(request("web", many, "/", "", null), NOW)));
    }

    @ParameterizedTest
    @CsvSource({"api", "/a//b", "/a/../b", "/a/./b", "/..", "/a/..", "/a/.", "/a?b", "/a%2e", "/a*"})
    void badPath_isRefused(String path) {
        assertEquals(List.of("path_prefix"), fields(() -> RouteValidator.validate(request("web", List.of(), path, "", null), NOW)));
    }

    @Test
    void path_longerThan256_isRefused_andDotsInNames_areFine() {
        assertEquals(List.of("path_prefix"), fields(() -> RouteValidator.validate(
                request("web", List.of(), "/" + "a".repeat(256), "", null), NOW)));
        assertEquals("/v1.2/.well-known/a..b~c", RouteValidator.validate(
                request("web", List.of(), "/v1.2/.well-known/a..b~c", "", null), NOW).pathPrefix());
    }

    @ParameterizedTest
    @CsvSource({"timeouts.connect, 0", "timeouts.connect, -1000000", "timeouts.read, 3600000000001",
            "timeouts.read, 1500000", "timeouts.connect, 999999"})
    void timeout_outOfRangeOrNotWholeMillis_isRefused(String field, long nanos) {
        Duration value = Duration.ofNanos(nanos);
        RouteTimeouts timeouts = field.endsWith("connect") ? new RouteTimeouts(value, null) : new RouteTimeouts(null, value);
        assertEquals(List.of(field), fields(() -> RouteValidator.validate(new RouteRequest("web", List.of(), "/", false, "",
                null, null, timeouts, false), NOW)));
    }

    @Test
    void timeouts_ofOneMsAndOneHour_areFine() {
        var valid = RouteValidator.validate(new RouteRequest("web", List.of(), "/", false, "", null, LoadBalancing.IP_HASH,
                new RouteTimeouts(Duration.ofMillis(1), Duration.ofHours(1)), true), NOW);
        assertEquals(Duration.ofHours(1), valid.timeouts().read());
        assertEquals(LoadBalancing.IP_HASH, valid.loadBalancing());
    }

    @Test
    void everyViolation_isListed_atOnce() {
        assertEquals(List.of("app", "hosts[0]", "path_prefix", "port_name"), fields(() -> RouteValidator.validate(
                request("", List.of(""), "x", "A", null), NOW)));
    }

    @Test
    void tls_rsaAndEc_inEveryKeyForm_parse_withTheirExpiry() {
        for (TestCertificates.Pair pair : List.of(RSA, EC)) {
            for (String key : List.of(pair.pkcs8Pem(), pair.traditionalPem())) {
                var valid = RouteValidator.validate(request("web", List.of(), "/", "", new RouteRequest.Tls(
                        pair.certificatePem(), key, true)), NOW);
                assertNotNull(valid.tls());
                assertEquals(pair.notAfter().truncatedTo(ChronoUnit.SECONDS), valid.tls().expireTime());
                assertTrue(valid.tls().redirectHttp());
            }
        }
    }

    @Test
    void tls_keyOfAnotherCertificate_isRefused() {
        assertEquals(List.of("tls.private_key_pem"), fields(() -> RouteValidator.validate(request("web", List.of(), "/", "",
                new RouteRequest.Tls(RSA.certificatePem(), TestCertificates.rsa("other", NOW.minusSeconds(60),
                        NOW.plusSeconds(3600)).pkcs8Pem(), false)), NOW)));
        assertEquals(List.of("tls.private_key_pem"), fields(() -> RouteValidator.validate(request("web", List.of(), "/", "",
                new RouteRequest.Tls(RSA.certificatePem(), EC.pkcs8Pem(), false)), NOW)));
    }

    @Test
    void tls_expiredCertificate_isRefused() {
        TestCertificates.Pair old = TestCertificates.rsa("old", NOW.minus(30, ChronoUnit.DAYS), NOW.minus(1, ChronoUnit.DAYS));
        assertEquals(List.of("tls.certificate_pem"), fields(() -> RouteValidator.validate(request("web", List.of(), "/", "",
                new RouteRequest.Tls(old.certificatePem(), old.pkcs8Pem(), false)), NOW)));
    }

    @Test
    void tls_emptyValues_areRefusedNamingBoth() {
        assertEquals(List.of("tls.certificate_pem", "tls.private_key_pem"), fields(() -> RouteValidator.validate(
                request("web", List.of(), "/", "", new RouteRequest.Tls("", "", true)), NOW)));
    }

    @Test
    void tls_aKeyInTheCertificateField_orAnEncryptedKey_isRefused() {
        assertEquals(List.of("tls.certificate_pem"), fields(() -> RouteValidator.validate(request("web", List.of(), "/", "",
                new RouteRequest.Tls(RSA.pkcs8Pem(), RSA.pkcs8Pem(), false)), NOW)));
        String encrypted = RSA.pkcs8Pem().replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
        assertEquals(List.of("tls.private_key_pem"), fields(() -> RouteValidator.validate(request("web", List.of(), "/", "",
                new RouteRequest.Tls(RSA.certificatePem(), encrypted, false)), NOW)));
    }

    @Test
    void hosts_emptyList_meansAnyHost() {
        assertEquals(Collections.emptyList(), RouteValidator.validate(request("web", List.of(), "/", "", null), NOW).hosts());
    }
}
