package io.orchestry.gateway.error;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldNamesTest {
    @ParameterizedTest
    @CsvSource({
            "name, name",
            "driver_kind, driverKind",
            "capacity.cpu_millis, capacity.cpuMillis",
            "labels[team_a], labels[team_a]",
            "page_size, limit",
            "page_token, pageToken",
            "statuses[2], status",
            "reserved.disk_bytes, reserved.diskBytes",
            "tailLines, tail",
            "instanceId, instance",
            "spec.healthCheck.interval, spec.healthCheck.interval",
            "hosts[1], hosts[1]",
            "path_prefix, pathPrefix",
            "tls.certificate_pem, tls.certificatePem",
            "outcomes[0], outcome",
            "revision_number, revision"})
    void toRest_usesTheNamesRestCallersWrite(String service, String rest) {
        assertEquals(rest, FieldNames.toRest(service));
    }
}
