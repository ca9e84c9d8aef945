package io.orchestry.provisioner.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.OrchestryException;
import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.domain.InstanceStatsSampler;
import io.orchestry.provisioner.v1.StreamInstanceStatsResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code StreamInstanceStats} call: a batch every interval (at least the collection interval) of the usage the stats
 * collector last wrote on each running instance that matches, until the client cancels. A batch is skipped while the
 * client has not read the previous one.
 */
final class InstanceStatsStream {
    private final ServerCallStreamObserver<StreamInstanceStatsResponse> response;
    private final InstanceStatsSampler sampler;
    private final String project;
    private final String app;
    private final Clock clock;
    private ScheduledFuture<?> task;
    private boolean closed;

    InstanceStatsStream(ServerCallStreamObserver<StreamInstanceStatsResponse> response, InstanceStatsSampler sampler,
                        String project, String app, Clock clock) {
        this.response = response;
        this.sampler = sampler;
        this.project = project;
        this.app = app;
        this.clock = clock;
    }

    void start(ScheduledExecutorService timer, Duration interval) {
        response.setOnCancelHandler(this::stop);
        synchronized (this) {
            task = timer.scheduleAtFixedRate(this::send, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void send() {
        if (closed) {
            return;
        }
        if (!response.isReady()) {
            return;
        }
        try {
            var batch = StreamInstanceStatsResponse.newBuilder();
            sampler.sample(project, app, clock.instant()).forEach(s -> batch.addStats(InstanceProtoMapper.toProto(s)));
            response.onNext(batch.build());
        } catch (OrchestryException e) {
            closed = true;
            response.onError(GrpcStatuses.toStatusRuntimeException(e));
            stop();
        } catch (RuntimeException e) {
            closed = true;
            response.onError(GrpcStatuses.toStatusRuntimeException(new UnavailableException("database", Duration.ofSeconds(1), e)));
            stop();
        }
    }

    private synchronized void stop() {
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
    }
}
