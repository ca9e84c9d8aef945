package io.orchestry.gateway.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.gateway.ops.ServiceProbes;
import io.orchestry.gateway.ops.StatusJson;
import io.orchestry.registry.v1.GetNodeStatsRequest;
import io.orchestry.registry.v1.ListNodeEventsRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** {@code /api/v1/status}, {@code /api/v1/overview} and {@code /api/v1/cluster/*}: the state of Orchestry itself. Any role. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "ops")
public class OpsController {
    private static final int RECENT = 10;

    private final ServiceProbes probes;
    private final ServiceStubs stubs;
    private final AuditLog audit;

    public OpsController(ServiceProbes probes, ServiceStubs stubs, AuditLog audit) {
        this.probes = probes;
        this.stubs = stubs;
        this.audit = audit;
    }

    /**
     * Every service (reachable, serving, version, replica, who leads its loops), the gateway's
     * database, and nginx. Always 200: {@code healthy} says whether all is well.
     */
    @Get("/status")
    public StatusJson.Status status(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).require(Role.VIEWER);
        return probes.status();
    }

    /** Which replica runs each service's loops, whether it was elected, and under which epoch. */
    @Get("/cluster/leader")
    public StatusJson.Leaders leader(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).require(Role.VIEWER);
        return new StatusJson.Leaders(probes.services().stream()
                .map(s -> new StatusJson.Leader(s.name(), s.reachable(), s.leadership())).toList());
    }

    /** The replicas seen of each service, and its election. */
    @Get("/cluster/status")
    public StatusJson.Cluster cluster(HttpRequest<?> request) {
        AuthenticationFilter.caller(request).require(Role.VIEWER);
        return new StatusJson.Cluster(probes.services().stream()
                .map(s -> new StatusJson.Replicas(s.name(), s.replica() == null ? List.of()
                        : List.of(new StatusJson.Replica(s.replica(), s.leadership() != null && s.replica().equals(s.leadership().leader()),
                        s.version(), s.startTime())), s.leadership()))
                .toList());
    }

    /**
     * Nodes by status and capacity in use, how many services serve, the latest node transitions
     * and (for admins) the latest audited actions.
     */
    @Get("/overview")
    public OverviewJson overview(HttpRequest<?> request) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.VIEWER);
        RegistryServiceGrpc.RegistryServiceBlockingStub registry = stubs.registry(RequestIdFilter.requestId(request));
        NodeStatsJson nodes = NodeJsonMapper.toJson(registry.getNodeStats(GetNodeStatsRequest.getDefaultInstance()));
        List<NodeEventJson> events = registry.listNodeEvents(ListNodeEventsRequest.newBuilder().setPageSize(RECENT).build())
                .getEventsList().stream().map(NodeJsonMapper::toJson).toList();
        List<AuditJson.Entry> actions = null;
        if (caller.role().includes(Role.ADMIN)) {
            actions = audit.recent(caller.organization(), RECENT).stream().map(AuditJson.Entry::of).toList();
        }
        List<StatusJson.Service> services = probes.services();
        int serving = (int) services.stream().filter(s -> s.health().equals("serving")).count();
        return new OverviewJson(nodes, serving, services.size(), events, actions, List.of(
                "apps, instances and deployments: provisioner-service does not serve them yet",
                "scaling decisions, recommendations and top metrics: scaler-service does not serve them yet",
                "routes and proxy reloads: proxy-service does not serve them yet"));
    }
}
