package io.orchestry.proxy.upstreams;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.GetAppRequest;
import io.orchestry.provisioner.v1.PortSpec;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.proxy.domain.AppDirectory;
import io.orchestry.proxy.domain.AppPorts;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Apps from the provisioner's GetApp, with {@code orchestry.proxy.provisioner-deadline}. */
@Singleton
class ProvisionerApps implements AppDirectory {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private final ProvisionerServiceGrpc.ProvisionerServiceBlockingStub stub;
    private final long deadlineMillis;

    ProvisionerApps(@Named("provisioner") ManagedChannel provisioner,
                    @Value("${orchestry.proxy.provisioner-deadline:5s}") Duration deadline) {
        this.stub = ProvisionerServiceGrpc.newBlockingStub(provisioner);
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public Optional<AppPorts> find(String name) {
        App app;
        try {
            app = stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                    .getApp(GetAppRequest.newBuilder().setName(name).build()).getApp();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw new UnavailableException("provisioner", RETRY_AFTER, e);
        }
        return Optional.of(new AppPorts(app.getName(), app.getProject(),
                app.getSpec().getPortsList().stream().map(PortSpec::getName).toList()));
    }
}
