package io.orchestry.proxy.upstreams;

import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.UpstreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamTableTest {
    static final UpstreamKey WEB_HTTP = new UpstreamKey("web", "http");
    static final UpstreamKey WEB_ADMIN = new UpstreamKey("web", "admin");

    static ObservedInstance serving(String id, int http, int admin) {
        return new ObservedInstance(id, "web", true, "healthy", "10.0.0.1", Map.of("http", http, "admin", admin));
    }

    static ObservedInstance notServing(String id, String state) {
        return new ObservedInstance(id, "web", false, state, "10.0.0.1", Map.of("http", 8000, "admin", 9000));
    }

    @Test
    void servingInstance_joinsEveryNamedPort_sorted() {
        UpstreamTable table = new UpstreamTable();
        table.put(serving("web-1-2", 8002, 9002));
        UpstreamTable.Change change = table.put(serving("web-1-1", 8001, 9001));
        assertEquals(Set.of(WEB_HTTP, WEB_ADMIN), change.keys());
        assertEquals(List.of(new Endpoint("10.0.0.1", 8001, "web-1-1"), new Endpoint("10.0.0.1", 8002, "web-1-2")),
                table.current().get(WEB_HTTP));
        assertEquals(9001, table.current().get(WEB_ADMIN).get(0).port());
    }

    @Test
    void unhealthyOrRetiring_leaves_withTheReason() {
        UpstreamTable table = new UpstreamTable();
        table.put(serving("web-1-1", 8001, 9001));
        table.put(serving("web-1-2", 8002, 9002));
        UpstreamTable.Change unhealthy = table.put(notServing("web-1-2", "unhealthy"));
        assertEquals("instance web-1-2 unhealthy", unhealthy.reason());
        assertEquals(Set.of(WEB_HTTP, WEB_ADMIN), unhealthy.keys());
        assertEquals(1, table.current().get(WEB_HTTP).size());
        UpstreamTable.Change retiring = table.put(notServing("web-1-1", "retiring"));
        assertEquals("instance web-1-1 retiring", retiring.reason());
        assertTrue(table.current().isEmpty(), "an app without endpoints is absent");
    }

    @Test
    void deleted_leaves_andAChangeThatChangesNothing_isEmpty() {
        UpstreamTable table = new UpstreamTable();
        table.put(serving("web-1-1", 8001, 9001));
        assertTrue(table.put(serving("web-1-1", 8001, 9001)).isEmpty());
        assertTrue(table.put(notServing("web-2-1", "starting")).isEmpty());
        UpstreamTable.Change deleted = table.remove("web-1-1");
        assertEquals("instance web-1-1 deleted", deleted.reason());
        assertEquals(Set.of(WEB_HTTP, WEB_ADMIN), deleted.keys());
        assertTrue(table.remove("nobody").isEmpty());
    }

    @Test
    void portMoved_changesOnlyThatPort() {
        UpstreamTable table = new UpstreamTable();
        table.put(serving("web-1-1", 8001, 9001));
        assertEquals(Set.of(WEB_HTTP), table.put(serving("web-1-1", 8005, 9001)).keys());
    }

    @Test
    void replace_dropsWhatTheListDoesNotHave() {
        UpstreamTable table = new UpstreamTable();
        table.put(serving("web-1-1", 8001, 9001));
        UpstreamTable.Change change = table.replace(List.of(new ObservedInstance("api-1-1", "api", true, "healthy",
                "10.0.0.2", Map.of("grpc", 7000))));
        assertEquals(Set.of(WEB_HTTP, WEB_ADMIN, new UpstreamKey("api", "grpc")), change.keys());
        assertEquals(Set.of(new UpstreamKey("api", "grpc")), table.current().keySet());
    }
}
