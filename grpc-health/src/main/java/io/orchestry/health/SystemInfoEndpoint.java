package io.orchestry.health;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Value;
import io.orchestry.build.BuildInfo;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.Leadership;
import io.orchestry.system.v1.SystemServiceGrpc;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * {@code orchestry.system.v1.SystemService}: which service this is, its build and replica. Until
 * leader election exists (see ROADMAP: HA), a service runs as one replica that runs its own loops,
 * and says so: {@code election_enabled = false, leader = true}.
 */
@Singleton
public class SystemInfoEndpoint extends SystemServiceGrpc.SystemServiceImplBase {
    private final GetSystemInfoResponse info;

    public SystemInfoEndpoint(@Value("${micronaut.application.name}") String service) {
        String replica = BuildInfo.replica();
        Instant started = BuildInfo.startTime();
        this.info = GetSystemInfoResponse.newBuilder()
                .setService(service)
                .setVersion(BuildInfo.version())
                .setReplica(replica)
                .setStartTime(Timestamp.newBuilder().setSeconds(started.getEpochSecond()).setNanos(started.getNano()))
                .setLeadership(Leadership.newBuilder().setElectionEnabled(false).setLeader(true).setLeaderReplica(replica))
                .build();
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        response.onNext(info);
        response.onCompleted();
    }
}
