package io.orchestry.proxy.routes;

import io.orchestry.error.AlreadyExistsException;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteTimeouts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteConflictsTest {
    static Route route(String id, String hosts, String path, boolean isDefault) {
        List<String> list = hosts.isEmpty() ? List.of() : Arrays.asList(hosts.split(" "));
        return new Route(id, "web", "p", list, path, false, "http", null, LoadBalancing.ROUND_ROBIN, RouteTimeouts.DEFAULTS,
                isDefault, Instant.EPOCH, Instant.EPOCH, 1);
    }

    @ParameterizedTest(name = "[{0}] {1} vs [{2}] {3} default {4}/{5}: conflict {6}")
    @CsvSource({
            "a.example,           /,    a.example,           /,    false, false, true",
            "a.example b.example, /,    b.example,           /,    false, false, true",
            "a.example,           /,    a.example,           /api, false, false, false",
            "a.example,           /,    b.example,           /,    false, false, false",
            "'',                  /,    '',                  /,    false, false, true",
            "'',                  /,    a.example,           /,    false, false, false",
            "*.example,           /,    a.example,           /,    false, false, false",
            "*.example,           /x,   *.example,           /x,   false, false, true",
            "a.example,           /,    b.example,           /,    true,  true,  true",
            "a.example,           /,    b.example,           /,    true,  false, false"})
    void overlap_byExactHostAndPath_orTwoDefaults(String hostsA, String pathA, String hostsB, String pathB,
                                                  boolean defaultA, boolean defaultB, boolean conflict) {
        Route candidate = route("r-a", hostsA, pathA, defaultA);
        List<Route> others = List.of(route("r-b", hostsB, pathB, defaultB));
        if (conflict) {
            assertThrows(AlreadyExistsException.class, () -> RouteConflicts.check(candidate, others));
        } else {
            assertDoesNotThrow(() -> RouteConflicts.check(candidate, others));
        }
    }

    @ParameterizedTest
    @CsvSource({"a.example, /"})
    void aRoute_doesNotConflictWithItself(String hosts, String path) {
        Route route = route("r-a", hosts, path, true);
        assertDoesNotThrow(() -> RouteConflicts.check(route, List.of(route)));
    }
}
