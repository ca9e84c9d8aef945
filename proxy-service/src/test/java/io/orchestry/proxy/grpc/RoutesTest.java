package io.orchestry.proxy.grpc;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.proxy.fakes.TestCertificates;
import io.orchestry.proxy.v1.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route RPCs over real gRPC on a real PostgreSQL, apps from a fake provisioner. */
@MicronautTest(transactional = false)
class RoutesTest extends ProxyComponentTest {
    @jakarta.inject.Inject
    io.orchestry.proxy.domain.RouteRepository repository;
    static final TestCertificates.Pair CERT = TestCertificates.rsa("secure.example", Instant.now().minus(1, ChronoUnit.DAYS),
            Instant.now().plus(30, ChronoUnit.DAYS));

    @BeforeAll
    void apps() {
        provisioner.putApp("web", PROJECT, "http", "admin");
        provisioner.putApp("api", "backend", "grpc");
        provisioner.putApp("portless", PROJECT);
    }

    CreateRouteRequest.Builder route(String app, String... hosts) {
        return CreateRouteRequest.newBuilder().setApp(app).addAllHosts(List.of(hosts));
    }

    long routes() {
        return count("SELECT count(*) FROM route");
    }

    @Test
    void create_get_update_delete_roundTrip() {
        Route created = stub().createRoute(route("web", "Shop.Example.com").setPathPrefix("/shop").setStripPrefix(true)
                .setLoadBalancing(LoadBalancing.LOAD_BALANCING_LEAST_CONN)
                .setTimeouts(RouteTimeouts.newBuilder().setConnect(Duration.newBuilder().setNanos(250_000_000))).build()).getRoute();
        assertTrue(created.getId().matches("r-[0-9a-f]{10}"), created.getId());
        assertEquals(PROJECT, created.getProject(), "the project is the app's");
        assertEquals("http", created.getPortName(), "no port name: the app's first port");
        assertEquals(List.of("shop.example.com"), created.getHostsList());
        assertEquals(1, created.getVersion());
        assertEquals(250_000_000, created.getTimeouts().getConnect().getNanos());
        assertFalse(created.getTimeouts().hasRead());
        assertEquals(created, stub().getRoute(GetRouteRequest.newBuilder().setId(created.getId()).build()).getRoute());

        Route updated = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(created.getId()).setVersion(1)
                .setUpdateMask(mask("port_name", "hosts")).setPortName("admin").addHosts("admin.example.com")
                .setPathPrefix("/ignored").build()).getRoute();
        assertEquals("admin", updated.getPortName());
        assertEquals(List.of("admin.example.com"), updated.getHostsList());
        assertEquals("/shop", updated.getPathPrefix(), "paths outside the mask keep their values");
        assertEquals(LoadBalancing.LOAD_BALANCING_LEAST_CONN, updated.getLoadBalancing());
        assertEquals(2, updated.getVersion());

        stub().deleteRoute(DeleteRouteRequest.newBuilder().setId(created.getId()).build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().getRoute(GetRouteRequest.newBuilder().setId(created.getId()).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().deleteRoute(DeleteRouteRequest.newBuilder().setId(created.getId()).build())));
    }

    @Test
    void invalidFields_answer400NamingEach_andStoreNothing() {
        long before = routes();
        StatusRuntimeException e = failure(() -> stub().createRoute(route("web", "ok.example", "ex\u0430mple.com", "a;b")
                .setPathPrefix("/a{b}").setPortName("x$").setTls(TlsConfig.newBuilder().setCertificatePem("garbage"))
                .setTimeouts(RouteTimeouts.newBuilder().setRead(Duration.newBuilder().setSeconds(7200))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of("hosts[1]", "hosts[2]", "path_prefix", "port_name", "timeouts.read", "tls.certificate_pem",
                "tls.private_key_pem"), violatedFields(e));
        assertEquals(List.of("app"), violatedFields(failure(() -> stub().createRoute(route("").build()))));
        assertEquals(before, routes());
    }

    @Test
    void unknownApp_is404_portNotOfTheApp_is400_appWithoutPorts_is412() {
        StatusRuntimeException missing = failure(() -> stub().createRoute(route("nope", "nope.example").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        assertTrue(missing.getStatus().getDescription().contains("nope"), missing.getStatus().getDescription());
        assertEquals(List.of("port_name"), violatedFields(failure(() -> stub().createRoute(route("web", "p.example")
                .setPortName("grpc").build()))));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> stub().createRoute(route("portless", "q.example").build())));
    }

    @Test
    void overlappingHostAndPath_orASecondDefault_is409() {
        Route first = stub().createRoute(route("web", "a.overlap", "b.overlap").setPathPrefix("/o").build()).getRoute();
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> stub().createRoute(route("api", "b.overlap").setPathPrefix("/o").build())));
        stub().createRoute(route("api", "b.overlap").setPathPrefix("/other").build());
        stub().createRoute(route("api", "c.overlap").setPathPrefix("/o").build());

        stub().createRoute(route("web", "default.example").setPathPrefix("/d").setIsDefault(true).build());
        StatusRuntimeException second = failure(() -> stub().createRoute(route("api", "default2.example").setIsDefault(true).build()));
        assertEquals(Status.Code.ALREADY_EXISTS, second.getStatus().getCode());
        assertTrue(second.getStatus().getDescription().contains("is_default"), second.getStatus().getDescription());

        // an update into an overlap is refused too, and changes nothing
        Route other = stub().createRoute(route("api", "z.overlap").setPathPrefix("/o").build()).getRoute();
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> stub().updateRoute(UpdateRouteRequest.newBuilder()
                .setId(other.getId()).setVersion(1).setUpdateMask(mask("hosts")).addHosts("a.overlap").build())));
        assertEquals(1, stub().getRoute(GetRouteRequest.newBuilder().setId(other.getId()).build()).getRoute().getVersion());
        assertEquals(first, stub().getRoute(GetRouteRequest.newBuilder().setId(first.getId()).build()).getRoute());
    }

    @Test
    void staleVersion_isAborted_andBadMasks_are400() {
        Route route = stub().createRoute(route("web", "stale.example").build()).getRoute();
        stub().updateRoute(UpdateRouteRequest.newBuilder().setId(route.getId()).setVersion(1)
                .setUpdateMask(mask("strip_prefix")).setStripPrefix(true).build());
        assertEquals(Status.Code.ABORTED, code(() -> stub().updateRoute(UpdateRouteRequest.newBuilder().setId(route.getId())
                .setVersion(1).setUpdateMask(mask("strip_prefix")).build())));
        assertEquals(List.of("update_mask"), violatedFields(failure(() -> stub().updateRoute(UpdateRouteRequest.newBuilder()
                .setId(route.getId()).setVersion(2).setUpdateMask(mask("project")).build()))));
        assertEquals(List.of("update_mask"), violatedFields(failure(() -> stub().updateRoute(UpdateRouteRequest.newBuilder()
                .setId(route.getId()).setVersion(2).build()))));
        assertEquals(List.of("path_prefix"), violatedFields(failure(() -> stub().updateRoute(UpdateRouteRequest.newBuilder()
                .setId(route.getId()).setVersion(2).setUpdateMask(mask("path_prefix")).setPathPrefix("/a/../b").build()))));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().updateRoute(UpdateRouteRequest.newBuilder().setId("r-0000000000")
                .setVersion(1).setUpdateMask(mask("hosts")).build())));
    }

    @Test
    void tlsKey_isStoredSealed_andNeverReturned() {
        Route route = stub().createRoute(route("web", "secure.example").setTls(TlsConfig.newBuilder()
                .setCertificatePem(CERT.certificatePem()).setPrivateKeyPem(CERT.traditionalPem()).setRedirectHttp(true)).build()).getRoute();
        assertTrue(route.getHasTls());
        assertEquals(CERT.certificatePem(), route.getTls().getCertificatePem());
        assertEquals("", route.getTls().getPrivateKeyPem());
        assertEquals(CERT.notAfter().getEpochSecond(), route.getTls().getCertificateExpireTime().getSeconds());
        Route read = stub().getRoute(GetRouteRequest.newBuilder().setId(route.getId()).build()).getRoute();
        assertEquals("", read.getTls().getPrivateKeyPem());
        stub().listRoutes(ListRoutesRequest.getDefaultInstance()).getRoutesList()
                .forEach(r -> assertEquals("", r.getTls().getPrivateKeyPem()));
        String keyBody = CERT.traditionalPem().split("\n")[1];
        assertEquals(0, count("SELECT count(*) FROM route WHERE encode(tls_key_sealed, 'escape') LIKE ?", "%" + keyBody + "%"));
        assertEquals(0, count("SELECT count(*) FROM proxy_event WHERE json::text LIKE ?", "%" + keyBody + "%"));
        assertEquals(1, count("SELECT count(*) FROM route WHERE id = ? AND tls_key_sealed IS NOT NULL", route.getId()));
        // the renderer, and only it, gets the key in clear
        assertEquals(CERT.traditionalPem(), repository.allForRendering().stream().filter(r -> r.id().equals(route.getId()))
                .findFirst().orElseThrow().tls().privateKeyPem());
        assertEquals(null, repository.get(route.getId()).orElseThrow().tls().privateKeyPem());

        // an update outside tls keeps the key; tls in the mask without a value removes it
        Route kept = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(route.getId()).setVersion(1)
                .setUpdateMask(mask("strip_prefix")).setStripPrefix(true).build()).getRoute();
        assertTrue(kept.getHasTls());
        Route plain = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(route.getId()).setVersion(2)
                .setUpdateMask(mask("tls")).build()).getRoute();
        assertFalse(plain.getHasTls());
        assertEquals(0, count("SELECT count(*) FROM route WHERE id = ? AND tls_key_sealed IS NOT NULL", route.getId()));
    }

    @Test
    void list_pagesAndFilters() {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(stub().createRoute(route("api", "page" + i + ".example").setPathPrefix("/page").build()).getRoute().getId());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListRoutesResponse page = stub().listRoutes(ListRoutesRequest.newBuilder().setApp("api").setProject("backend")
                    .setPageSize(2).setPageToken(token).build());
            assertTrue(page.getRoutesCount() <= 2);
            assertTrue(page.getResourceVersion() > 0);
            page.getRoutesList().forEach(r -> seen.add(r.getId()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertTrue(seen.containsAll(made), "every route on some page");
        assertEquals(seen.stream().sorted().toList(), seen, "ordered by id");
        assertTrue(pages >= 3);
        assertTrue(stub().listRoutes(ListRoutesRequest.newBuilder().setProject("nobody").build()).getRoutesList().isEmpty());
        assertEquals(List.of("page_token"), violatedFields(failure(() -> stub().listRoutes(ListRoutesRequest.newBuilder()
                .setPageToken("bogus").build()))));
    }
}
