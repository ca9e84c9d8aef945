package io.orchestry.proxy.grpc;

import io.orchestry.proxy.fakes.FakeProvisioner;
import io.orchestry.proxy.testing.EchoServer;
import io.orchestry.proxy.testing.NginxTestServer;
import io.orchestry.proxy.testing.RawHttp;
import io.orchestry.proxy.v1.AppRequestMetrics;
import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.CreateRouteRequest;
import io.orchestry.proxy.v1.GetProxyConfigRequest;
import io.orchestry.proxy.v1.GetProxyStatusRequest;
import io.orchestry.proxy.v1.ListConfigRevisionsRequest;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.RevisionOutcome;
import io.orchestry.proxy.v1.RevisionTrigger;
import io.orchestry.proxy.v1.Route;
import io.orchestry.proxy.v1.StreamRequestMetricsRequest;
import io.orchestry.proxy.v1.StreamRequestMetricsResponse;
import io.orchestry.proxy.v1.UpdateRouteRequest;
import io.orchestry.provisioner.v1.InstanceHealth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole proxy service in front of a real nginx it starts and supervises itself: routes for two apps on two hosts
 * (upstreams from a fake provisioner's WatchInstances, JDK HTTP servers as replicas), a replica added and taken away
 * (with the Lua balancer: no reload, no new worker, no revision; without it: one reload), a route broken on purpose and
 * rolled back while the old configuration serves (and that does not hold back the next change), and request metrics
 * from the access log equal to the requests sent. Run with and without Lua by its two subclasses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServedProxyIT extends ProxyComponentTest {
    private final int http = NginxTestServer.freePort();
    private final int https = NginxTestServer.freePort();
    private final int control = NginxTestServer.freePort();
    private final Path state = temporaryFolder();
    private final EchoServer webA = EchoServer.start("web-a");
    private final EchoServer webB = EchoServer.start("web-b");
    private final EchoServer api = EchoServer.start("api");
    private final EchoServer counted = EchoServer.start("counted");
    private final int closed = NginxTestServer.freePort();
    private Route webRoute;

    /** auto (the Lua balancer) or off (static upstreams, a reload per replica change). */
    abstract String lua();

    abstract boolean expectLua();

    @Override
    Map<String, String> extraProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("orchestry.proxy.nginx.mode", "managed");
        p.put("orchestry.proxy.nginx.binary", NginxTestServer.BINARY.toString());
        p.put("orchestry.proxy.nginx.http-port", Integer.toString(http));
        p.put("orchestry.proxy.nginx.https-port", Integer.toString(https));
        p.put("orchestry.proxy.nginx.control-port", Integer.toString(control));
        p.put("orchestry.proxy.nginx.lua", lua());
        p.put("orchestry.proxy.nginx.worker-shutdown-timeout", "2s");
        p.put("orchestry.proxy.state-folder", state.toString());
        p.put("orchestry.proxy.apply.wait", "20s");
        return p;
    }

    @BeforeAll
    void fleet() {
        NginxTestServer.requireNginx();
        if (expectLua()) {
            NginxTestServer.requireLua();
        }
        provisioner.putApp("web", PROJECT, "http", "admin");
        provisioner.putApp("api", PROJECT, "http");
        provisioner.putApp("counted", PROJECT, "http");
        provisioner.putInstance(FakeProvisioner.healthy("web-1", "web", "http", webA.port(), "admin", closed).build());
        provisioner.putInstance(FakeProvisioner.healthy("api-1", "api", "http", api.port()).build());
        provisioner.putInstance(FakeProvisioner.healthy("counted-1", "counted", "http", counted.port()).build());
    }

    @AfterAll
    void upstreams() {
        webA.close();
        webB.close();
        api.close();
        counted.close();
    }

    @Test
    @Order(1)
    void twoApps_onTwoHosts_servedByTheirOwnReplicas() {
        var created = stub().createRoute(CreateRouteRequest.newBuilder().setApp("web").addHosts("web.test").build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, created.getRevision().getOutcome(), created.getRevision().getError());
        webRoute = created.getRoute();
        var second = stub().createRoute(CreateRouteRequest.newBuilder().setApp("api").addHosts("api.test").build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, second.getRevision().getOutcome(), second.getRevision().getError());

        assertEquals("web-a", servedBy("web.test"));
        assertEquals("api", servedBy("api.test"));
        assertEquals(404, RawHttp.get(http, "nobody.test", "/").status(), "a host no route takes");
        ProxyStatus status = status();
        assertEquals("NGINX_STATE_RUNNING", status.getState().name(), status.getLastError());
        assertEquals(expectLua(), config().contains("balancer_by_lua"), "the Lua balancer is rendered when the module loads");
    }

    @Test
    @Order(2)
    void replicaAdded_isServed_andTakenAway_isNotServed() throws InterruptedException {
        long pid = status().getPid();
        Set<Long> workers = NginxTestServer.children(pid);
        int revisions = revisions().size();

        provisioner.putInstance(FakeProvisioner.healthy("web-2", "web", "http", webB.port(), "admin", closed).build());
        await("web-b to be served", () -> servedByAny("web.test", 10).contains("web-b"));
        if (expectLua()) {
            assertEquals(workers, NginxTestServer.children(pid), "no worker was recycled: the balancer took the change");
            assertEquals(revisions, revisions().size(), "a replica change renders no revision with the Lua balancer");
        } else {
            // nginx serves the new servers once it has reloaded; the revision is final after its probes
            await("the replica change's revision to be applied",
                    () -> revisions().get(0).getOutcome() == RevisionOutcome.REVISION_OUTCOME_APPLIED);
            ConfigRevision newest = revisions().get(0);
            assertEquals(RevisionTrigger.REVISION_TRIGGER_INSTANCE_CHANGE, newest.getTrigger());
        }

        provisioner.putInstance(FakeProvisioner.healthy("web-2", "web", "http", webB.port(), "admin", closed)
                .setHealth(InstanceHealth.INSTANCE_HEALTH_UNHEALTHY).build());
        await("web-b to leave", () -> !servedByAny("web.test", 20).contains("web-b"));
        if (expectLua()) {
            assertEquals(workers, NginxTestServer.children(pid), "still no worker recycled");
        }
    }

    @Test
    @Order(3)
    void brokenRoute_isRolledBack_theOldConfigurationServes_andTheNextChangeGoesThrough() {
        Route current = stub().getRoute(io.orchestry.proxy.v1.GetRouteRequest.newBuilder().setId(webRoute.getId()).build()).getRoute();
        var broken = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(current.getId()).setVersion(current.getVersion())
                .setUpdateMask(mask("port_name")).setPortName("admin").build());
        ConfigRevision revision = broken.getRevision();
        assertEquals(RevisionOutcome.REVISION_OUTCOME_ROLLED_BACK, revision.getOutcome(), revision.getError());
        assertTrue(revision.getError().contains(current.getId()), revision.getError());
        assertEquals("web-a", servedBy("web.test"), "the previous revision serves again");

        var other = stub().createRoute(CreateRouteRequest.newBuilder().setApp("api").addHosts("api2.test").build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, other.getRevision().getOutcome(),
                "the broken route is held at its last good form, so it does not fail this one: " + other.getRevision().getError());
        assertEquals("api", servedBy("api2.test"));
        assertEquals("web-a", servedBy("web.test"));

        var fixed = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(current.getId())
                .setVersion(broken.getRoute().getVersion()).setUpdateMask(mask("port_name", "path_prefix"))
                .setPortName("http").setPathPrefix("/").build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, fixed.getRevision().getOutcome(), fixed.getRevision().getError());
    }

    @Test
    @Order(4)
    void requestMetrics_fromTheAccessLog_equalTheRequestsSent_probesLeftOut() throws InterruptedException {
        var route = stub().createRoute(CreateRouteRequest.newBuilder().setApp("counted").addHosts("counted.test").build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, route.getRevision().getOutcome(), route.getRevision().getError());
        int ok = 25;
        for (int i = 0; i < ok; i++) {
            assertEquals(200, RawHttp.get(http, "counted.test", "/item/" + i).status());
        }
        TimeUnit.MILLISECONDS.sleep(2_500); // the requests' second is whole, the tailer has read them
        Iterator<StreamRequestMetricsResponse> batches = stub().withDeadlineAfter(30, TimeUnit.SECONDS)
                .streamRequestMetrics(StreamRequestMetricsRequest.newBuilder().setApp("counted")
                        .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(20)).build());
        AppRequestMetrics metrics = batches.next().getMetricsList().stream().filter(m -> m.getApp().equals("counted"))
                .findFirst().orElseThrow(() -> new AssertionError("no metrics for app counted"));
        assertEquals(ok, metrics.getRequests(), "every request counted once, the applier's probe not at all: " + metrics);
        assertEquals(ok, metrics.getStatus2Xx());
        assertEquals(PROJECT, metrics.getProject());
        assertTrue(metrics.hasLatencyP99(), metrics.toString());
    }

    private ProxyStatus status() {
        return stub().getProxyStatus(GetProxyStatusRequest.getDefaultInstance()).getStatus();
    }

    private String config() {
        return stub().getProxyConfig(GetProxyConfigRequest.getDefaultInstance()).getRevision().getConfig();
    }

    private List<ConfigRevision> revisions() {
        return stub().listConfigRevisions(ListConfigRevisionsRequest.newBuilder().setPageSize(500).build()).getRevisionsList();
    }

    private String servedBy(String host) {
        RawHttp.Response response = RawHttp.get(http, host, "/");
        assertEquals(200, response.status(), host + ": " + response.body());
        return response.header(EchoServer.NAME_HEADER);
    }

    private Set<String> servedByAny(String host, int requests) {
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < requests; i++) {
            RawHttp.Response response = RawHttp.get(http, host, "/");
            if (response.status() == 200) {
                names.add(response.header(EchoServer.NAME_HEADER));
            } else {
                names.add("status " + response.status());
            }
        }
        return names;
    }

    private static Path temporaryFolder() {
        try {
            Path folder = Files.createTempDirectory("served-proxy-it");
            folder.toFile().setExecutable(true, false);
            folder.toFile().setReadable(true, false);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
