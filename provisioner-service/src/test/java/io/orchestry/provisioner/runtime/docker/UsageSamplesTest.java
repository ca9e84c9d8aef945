package io.orchestry.provisioner.runtime.docker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UsageSamplesTest {

    @ParameterizedTest(name = "cpu {0}->{1} of system {2}->{3} on {4} cpus = {5} millis")
    @CsvSource({
            // half of one core's time over the interval on a 2-core machine: 2 * 1000 * 0.25
            "1000000000, 1500000000, 10000000000, 12000000000, 2, 500",
            // the whole machine busy: every core
            "0, 2000000000, 0, 2000000000, 2, 2000",
            "0, 1000000000, 0, 8000000000, 8, 1000",
            // a first sample (no previous): no interval, no figure
            "0, 1500000000, 0, 0, 2, 0",
            // nothing used
            "700, 700, 1000, 2000, 4, 0",
            // counters that went back (container restarted between readings)
            "900, 100, 1000, 2000, 4, 0",
            "0, 100, 0, 1000, 0, 0"})
    void cpuMillis_isTheShareOfTheMachineTimesItsCores(long previousTotal, long total, long previousSystem,
                                                       long system, long cpus, long expected) {
        assertEquals(expected, UsageSamples.cpuMillis(total, previousTotal, system, previousSystem, cpus));
    }

    @ParameterizedTest(name = "usage {0} minus reclaimable {1} = {2}")
    @CsvSource({
            "104857600, 20971520, 83886080",
            "104857600, 0, 104857600",
            // a reclaimable figure past the usage is not trusted
            "1000, 5000, 1000",
            "0, 0, 0"})
    void memoryBytes_isUsageMinusReclaimableCache(long usage, long reclaimable, long expected) {
        assertEquals(expected, UsageSamples.memoryBytes(usage, reclaimable));
    }
}
