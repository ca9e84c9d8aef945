package io.orchestry.proxy.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessLogParserTest {

    static String line(String upstreamTime) {
        return "{\"time\":\"1767225600.123\",\"route\":\"r-1\",\"app\":\"shop\",\"upstream\":\"127.0.0.1:9000\","
                + "\"status\":\"502\",\"bytes\":\"157\",\"request_time\":\"0.010\",\"upstream_time\":\"" + upstreamTime + "\"}";
    }

    @Test
    void parse_lineOfTheFormat_everyField() {
        AccessRecord record = AccessLogParser.parse(line("0.004")).orElseThrow();
        assertEquals(Instant.parse("2026-01-01T00:00:00.123Z"), record.time());
        assertEquals("r-1", record.route());
        assertEquals("shop", record.app());
        assertEquals("127.0.0.1:9000", record.upstream());
        assertEquals(502, record.status());
        assertEquals(157, record.bytes());
        assertEquals(Duration.ofMillis(10), record.requestTime());
        assertEquals(Duration.ofMillis(4), record.upstreamTime());
        assertTrue(record.routed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.004                 | 4",
            "0.004, 0.002          | 2",
            "0.004, 0.030, 0.002   | 2",
            "0.004 : 0.007         | 7",
            "'-'                   | 10",
            "''                    | 10",
            "0.004, -              | 10",
    })
    void latency_upstreamTimes_lastOneOrRequestTime(String upstreamTime, long expectedMillis) {
        AccessRecord record = AccessLogParser.parse(line(upstreamTime)).orElseThrow();
        assertEquals(Duration.ofMillis(expectedMillis), record.latency());
    }

    @Test
    void parse_noRoute_emptyAppAndNoUpstream() {
        AccessRecord record = AccessLogParser.parse("{\"time\":\"1767225600.000\",\"route\":\"\",\"app\":\"\","
                + "\"upstream\":\"\",\"status\":\"404\",\"bytes\":\"0\",\"request_time\":\"0.000\",\"upstream_time\":\"\"}")
                .orElseThrow();
        assertEquals("", record.app());
        assertNull(record.upstreamTime());
        assertEquals(false, record.routed());
    }

    @Test
    void parse_escapedValues_unescaped() {
        AccessRecord record = AccessLogParser.parse(line("0.001").replace("\"shop\"", "\"sh\\\"o\\\\p\\u0001\""))
                .orElseThrow();
        assertEquals("sh\"o\\p\u0001", record.app());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[\"time\"]",
            "{\"time\":\"1767225600.1\"",
            "{\"time\":\"1767225600.1\",\"status\":\"200\"}",
            "{\"time\":\"1767225600.1\",\"status\":200,\"request_time\":\"0.1\"}",
            "{\"time\":\"x\",\"status\":\"200\",\"request_time\":\"0.1\"}",
            "{\"time\":\"1767225600.1\",\"status\":\"2oo\",\"request_time\":\"0.1\"}",
            "{\"time\":\"1767225600.1\",\"status\":\"200\",\"request_time\":\"-0.1\"}",
            "{\"time\":\"1767225600.1\",\"status\":\"200\",\"request_time\":\"0.1\",\"upstream_time\":\"abc\"}",
            "{\"time\":\"1767225600.1\",\"status\":\"200\",\"request_time\":\"0.1\"} trailing",
            "{\"time\":\"1767225600.1\",\"status\":\"200\",\"request_time\":\"0.1\",\"o\":{\"nested\":\"x\"}}",
    })
    void parse_malformed_empty(String line) {
        assertTrue(AccessLogParser.parse(line).isEmpty(), line);
    }
}
