package io.orchestry.health;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.annotation.Value;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.Leadership;
import io.orchestry.system.v1.SystemServiceGrpc;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;

/**
 * {@code orchestry.system.v1.SystemService}: which service this is, its build and replica. Until
 * leader election exists (see ROADMAP: HA), a service runs as one replica that runs its own loops,
 * and says so: {@code election_enabled = false, leader = true}.
 */
@Singleton
public class SystemInfoEndpoint extends SystemServiceGrpc.SystemServiceImplBase {
    private final GetSystemInfoResponse info;

    public SystemInfoEndpoint(@Value("${micronaut.application.name}") String service) {
        String replica = replica();
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        this.info = GetSystemInfoResponse.newBuilder()
                .setService(service)
                .setVersion(version())
                .setReplica(replica)
                .setStartTime(Timestamp.newBuilder().setSeconds(started / 1000).setNanos((int) (started % 1000) * 1_000_000))
                .setLeadership(Leadership.newBuilder().setElectionEnabled(false).setLeader(true).setLeaderReplica(replica))
                .build();
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
        response.onNext(info);
        response.onCompleted();
    }

    /** The Orchestry build this code comes from. */
    public static String version() {
        try (InputStream in = SystemInfoEndpoint.class.getResourceAsStream("/META-INF/orchestry/build.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process: {@code <host>/<pid>}. */
    public static String replica() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
