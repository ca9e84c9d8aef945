package io.orchestry.provisioner.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.domain.Projects;
import io.orchestry.registry.v1.GetProjectRequest;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import io.orchestry.registry.v1.SetProjectHoldRequest;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** {@link Projects} through the registry's GetProject and SetProjectHold, on the one registry channel, with a deadline per call. */
@Singleton
class RegistryProjects implements Projects {
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private final ManagedChannel registry;

    RegistryProjects(@Named("registry") ManagedChannel registry) {
        this.registry = registry;
    }

    @Override
    public void requireExists(String project) {
        organizationOf(project);
    }

    @Override
    public String organizationOf(String project) {
        return call(project, () -> stub().getProject(GetProjectRequest.newBuilder().setName(project).build())
                .getProject().getOrganization());
    }

    @Override
    public void hold(String project, String holder, boolean held) {
        call(project, () -> stub().setProjectHold(SetProjectHoldRequest.newBuilder().setProject(project)
                .setHolder(holder).setHeld(held).build()));
    }

    private RegistryServiceGrpc.RegistryServiceBlockingStub stub() {
        return RegistryServiceGrpc.newBlockingStub(registry).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T call(String project, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw new NotFoundException("project", project);
            }
            throw new UnavailableException("registry", Duration.ofSeconds(1), e);
        }
    }
}
