package io.orchestry.health;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Value;
import io.orchestry.build.BuildInfo;
import io.orchestry.controlloop.Leadership;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.SystemServiceGrpc;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * {@code orchestry.system.v1.SystemService}: which service this is, its build and replica, and
 * who runs its loops, read from the service's {@link Leadership} at every call (it changes when a
 * leader dies or hands over).
 */
@Singleton
public class SystemInfoEndpoint extends SystemServiceGrpc.SystemServiceImplBase {
    private final GetSystemInfoResponse identity;
    private final Leadership leadership;

    public SystemInfoEndpoint(@Value("${micronaut.application.name}") String service, Leadership leadership) {
        this.leadership = leadership;
        this.identity = GetSystemInfoResponse.newBuilder()
                .setService(service)
                .setVersion(BuildInfo.version())
                .setReplica(BuildInfo.replica())
                .setStartTime(timestamp(BuildInfo.startTime()))
                .build();
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        Leadership.Snapshot now = leadership.snapshot(); // one state: not leader=true with another's replica
        io.orchestry.system.v1.Leadership.Builder leader = io.orchestry.system.v1.Leadership.newBuilder()
                .setElectionEnabled(now.electionEnabled())
                .setLeader(now.leader())
                .setEpoch(now.epoch());
        now.leaderReplica().ifPresent(leader::setLeaderReplica);
        now.acquiredAt().ifPresent(at -> leader.setAcquireTime(timestamp(at)));
        response.onNext(identity.toBuilder().setLeadership(leader).build());
        response.onCompleted();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
