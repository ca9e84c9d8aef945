package io.orchestry.provisioner.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.BeanProvider;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.NotImplementedException;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.AppLogs;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.provisioner.domain.InstanceQuery;
import io.orchestry.provisioner.domain.InstanceService;
import io.orchestry.provisioner.domain.InstanceStatsSampler;
import io.orchestry.provisioner.domain.NodeDrainer;
import io.orchestry.provisioner.observe.ObserveConfig;
import io.orchestry.provisioner.v1.*;
import io.orchestry.watch.server.WatchHub;
import io.orchestry.watch.server.WatchStream;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The instance RPCs: list, delete, watch, stats, logs, and draining a node. */
@Singleton
class InstanceRpcs {
    private static final java.time.Duration DEFAULT_DRAIN_DEADLINE = java.time.Duration.ofMinutes(5);

    static final int MAX_TAIL_LINES = 10_000;

    private final InstanceService instances;
    private final WatchHub<InstanceChange> hub;
    private final InstanceStatsSampler sampler;
    private final AppLogs logs;
    private final BeanProvider<NodeDrainer> drainer;
    /** Its stats interval is the shortest and default of a stats stream (samples come no faster). */
    private final ObserveConfig config;
    private final Clock clock;
    private final ScheduledExecutorService statsTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "provisioner-instance-stats");
        t.setDaemon(true);
        return t;
    });

    InstanceRpcs(InstanceService instances, WatchHub<InstanceChange> hub, InstanceStatsSampler sampler, AppLogs logs,
                 BeanProvider<NodeDrainer> drainer, ObserveConfig config, Clock clock) {
        this.instances = instances;
        this.hub = hub;
        this.sampler = sampler;
        this.logs = logs;
        this.drainer = drainer;
        this.config = config;
        this.clock = clock;
    }

    ListInstancesResponse list(ListInstancesRequest request) {
        var query = new InstanceQuery(request.getProject(), request.getApp(), request.getNodeName(),
                InstanceProtoMapper.states(request.getStatesList()));
        var found = instances.list(query, PageRequest.ofGrpc(InstanceService.INSTANCES, request.getPageSize(), request.getPageToken()));
        return ListInstancesResponse.newBuilder().addAllInstances(found.page().map(InstanceProtoMapper::toProto).items())
                .setNextPageToken(found.page().nextPageToken()).setResourceVersion(found.resourceVersion()).build();
    }

    DeleteInstanceResponse delete(DeleteInstanceRequest request) {
        instances.delete(request.getId());
        return DeleteInstanceResponse.getDefaultInstance();
    }

    void watch(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> response) {
        String project = request.getProject();
        String app = request.getApp();
        new WatchStream<InstanceChange, WatchInstancesResponse>((ServerCallStreamObserver<WatchInstancesResponse>) response,
                change -> (project.isEmpty() || project.equals(change.instance().project()))
                        && (app.isEmpty() || app.equals(change.instance().app())),
                InstanceProtoMapper::toProto).start(hub, request.getResourceVersion());
    }

    void stats(StreamInstanceStatsRequest request, StreamObserver<StreamInstanceStatsResponse> response) {
        Duration interval = config.statsInterval();
        if (request.hasInterval()) {
            Duration asked = ProtoTime.toJava(request.getInterval());
            if (asked.isNegative()) {
                throw new InvalidArgumentException("interval", "must not be negative");
            }
            interval = asked.compareTo(interval) > 0 ? asked : interval;
        }
        new InstanceStatsStream((ServerCallStreamObserver<StreamInstanceStatsResponse>) response, sampler,
                request.getProject(), request.getApp(), clock).start(statsTimer, interval);
    }

    void logs(GetAppLogsRequest request, StreamObserver<GetAppLogsResponse> observer) {
        if (request.getTailLines() < 0 || request.getTailLines() > MAX_TAIL_LINES) {
            throw new InvalidArgumentException("tailLines", "must be 0 to " + MAX_TAIL_LINES);
        }
        var response = (ServerCallStreamObserver<GetAppLogsResponse>) observer;
        Object lock = new Object();
        AutoCloseable[] handle = new AutoCloseable[1];
        boolean[] cancelled = new boolean[1];
        response.setOnCancelHandler(() -> {
            synchronized (lock) {
                cancelled[0] = true;
                close(handle[0]);
            }
        });
        Instant since = request.hasSince() ? ProtoTime.toInstant(request.getSince()) : null;
        AutoCloseable opened = logs.read(request.getApp(), request.getInstanceId(), request.getTailLines(), request.getFollow(), since,
                tail -> {
                    if (!tail.isEmpty()) {
                        var batch = GetAppLogsResponse.newBuilder();
                        tail.forEach(line -> batch.addLines(InstanceProtoMapper.toProto(line)));
                        response.onNext(batch.build());
                    }
                },
                line -> {
                    synchronized (lock) {
                        if (!cancelled[0]) {
                            response.onNext(GetAppLogsResponse.newBuilder().addLines(InstanceProtoMapper.toProto(line)).build());
                        }
                    }
                });
        if (!request.getFollow()) {
            response.onCompleted();
            return;
        }
        synchronized (lock) {
            handle[0] = opened;
            if (cancelled[0]) {
                close(opened);
            }
        }
    }

    DrainNodeResponse drain(DrainNodeRequest request) {
        if (!drainer.isPresent()) {
            throw new NotImplementedException("draining needs the reconciler, which this provisioner does not have yet");
        }
        if (request.getNodeName().isEmpty()) {
            throw new InvalidArgumentException("nodeName", "required");
        }
        // no deadline: the registry's default drain time, not "now" (which would stop every replica at once)
        Instant deadline = request.hasDeadline() ? ProtoTime.toInstant(request.getDeadline())
                : clock.instant().plus(DEFAULT_DRAIN_DEADLINE);
        return DrainNodeResponse.newBuilder().setRemainingInstances(drainer.get().drain(request.getNodeName(), deadline)).build();
    }

    private static void close(AutoCloseable handle) {
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception ignored) {
                // the driver's follow is gone either way
            }
        }
    }

    @PreDestroy
    void stop() {
        statsTimer.shutdownNow();
    }
}
