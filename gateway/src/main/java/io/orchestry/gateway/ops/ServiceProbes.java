package io.orchestry.gateway.ops;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.orchestry.build.BuildInfo;
import io.orchestry.gateway.config.GatewayConfig;
import io.orchestry.proxy.v1.GetProxyStatusRequest;
import io.orchestry.proxy.v1.NginxState;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.Leadership;
import io.orchestry.system.v1.SystemServiceGrpc;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every service, in parallel, whether it is serving ({@code grpc.health.v1}) and who it is
 * ({@code orchestry.system.v1}), and the gateway's database whether it answers. Each probe has at
 * most one second, so {@code /status} answers quickly even when a service hangs.
 */
@Singleton
public class ServiceProbes {
    private static final long PROBE_MILLIS = 1000;

    private final List<Target> targets;
    private final DataSource dataSource;
    private final ExecutorService blocking;
    private final String version = BuildInfo.version();
    private final String replica = BuildInfo.replica();
    private final Instant startTime = BuildInfo.startTime();

    ServiceProbes(@Named("registry") ManagedChannel registry, @Named("provisioner") ManagedChannel provisioner,
                  @Named("scaler") ManagedChannel scaler, @Named("proxy") ManagedChannel proxy, GatewayConfig config,
                  DataSource dataSource, DataSourceResolver resolver, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.targets = List.of(new Target("registry", config.registry(), registry),
                new Target("provisioner", config.provisioner(), provisioner),
                new Target("scaler", config.scaler(), scaler),
                new Target("proxy", config.proxy(), proxy));
        this.dataSource = resolver.resolve(dataSource); // the pool itself, not the transaction-bound view
        this.blocking = blocking;
    }

    private record Target(String name, String address, ManagedChannel channel) {
    }

    /** Every service and the gateway's database, probed in parallel. */
    public StatusJson.Status status() {
        CompletableFuture<List<StatusJson.Service>> services = CompletableFuture.supplyAsync(this::services, blocking);
        CompletableFuture<StatusJson.Component> nginx = CompletableFuture.supplyAsync(this::nginx, blocking);
        StatusJson.Component database = database();
        List<StatusJson.Service> answers = services.join();
        boolean healthy = database.reachable() && answers.stream().allMatch(s -> s.health().equals("serving"));
        return new StatusJson.Status(healthy, new StatusJson.Gateway(version, replica, startTime, database), answers,
                nginx.join());
    }

    /** Every service behind the gateway, probed in parallel. */
    public List<StatusJson.Service> services() {
        List<CompletableFuture<StatusJson.Service>> probes = targets.stream()
                .map(t -> CompletableFuture.supplyAsync(() -> probe(t), blocking)).toList();
        return probes.stream().map(CompletableFuture::join).toList();
    }

    private StatusJson.Service probe(Target target) {
        long began = System.nanoTime();
        HealthCheckResponse.ServingStatus health;
        try {
            health = HealthGrpc.newBlockingStub(target.channel()).withDeadlineAfter(PROBE_MILLIS, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } catch (StatusRuntimeException e) {
            return new StatusJson.Service(target.name(), target.address(), false, "unreachable", null, null, null, null,
                    millisSince(began), e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
        long latency = millisSince(began);
        try {
            GetSystemInfoResponse info = SystemServiceGrpc.newBlockingStub(target.channel())
                    .withDeadlineAfter(PROBE_MILLIS, TimeUnit.MILLISECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return new StatusJson.Service(target.name(), target.address(), true, health.name().toLowerCase(Locale.ROOT),
                    info.getVersion(), info.getReplica(),
                    instant(info.getStartTime()),
                    leadership(info.getLeadership()), latency, null);
        } catch (StatusRuntimeException e) {
            return new StatusJson.Service(target.name(), target.address(), true, health.name().toLowerCase(Locale.ROOT),
                    null, null, null, null, latency, "system info: " + e.getStatus().getCode());
        }
    }

    private static StatusJson.Leadership leadership(Leadership leadership) {
        return new StatusJson.Leadership(leadership.getElectionEnabled(),
                leadership.getLeaderReplica().isEmpty() ? null : leadership.getLeaderReplica(),
                leadership.getEpoch(),
                leadership.hasAcquireTime()
                        ? instant(leadership.getAcquireTime())
                        : null);
    }

    /** Both parts of a protobuf timestamp: its seconds and the nanoseconds within that second. */
    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** nginx as the proxy service reports it: reachable while it runs, with its version, pid, revision and routes. */
    private StatusJson.Component nginx() {
        long began = System.nanoTime();
        ManagedChannel channel = targets.stream().filter(t -> t.name().equals("proxy")).findFirst().orElseThrow().channel();
        try {
            ProxyStatus status = ProxyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getProxyStatus(GetProxyStatusRequest.getDefaultInstance()).getStatus();
            boolean running = status.getState() == NginxState.NGINX_STATE_RUNNING;
            String state = status.getState().name().substring("NGINX_STATE_".length()).toLowerCase(Locale.ROOT);
            String detail = running
                    ? "nginx " + status.getNginxVersion() + " running (pid " + status.getPid() + "), revision "
                            + status.getCurrentRevision() + ", " + status.getRouteCount() + " route(s), "
                            + status.getUpstreamServerCount() + " upstream server(s)"
                    : "nginx " + state + (status.getLastError().isEmpty() ? "" : ": " + status.getLastError());
            return new StatusJson.Component(running, millisSince(began), detail);
        } catch (StatusRuntimeException e) {
            return new StatusJson.Component(false, millisSince(began), "proxy-service did not answer: " + e.getStatus().getCode());
        }
    }

    private StatusJson.Component database() {
        long began = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(1);
            return new StatusJson.Component(valid, millisSince(began), valid ? null : "the connection did not answer");
        } catch (SQLException e) {
            return new StatusJson.Component(false, millisSince(began), "no connection: " + e.getSQLState());
        }
    }

    private static long millisSince(long began) {
        return (System.nanoTime() - began) / 1_000_000;
    }
}
