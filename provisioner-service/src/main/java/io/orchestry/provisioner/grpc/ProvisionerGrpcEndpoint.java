package io.orchestry.provisioner.grpc;

import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;

/**
 * The provisioner service's v1 contract (apps, instances, deployments and databases). None of its RPCs is built yet: each answers
 * UNIMPLEMENTED (the generated base class does that) until the provisioner issue (ROADMAP.md, "Provisioner") fills it in. The server
 * around it is real: health that follows the database, reflection, metrics, its own schema.
 */
@GrpcService
public class ProvisionerGrpcEndpoint extends ProvisionerServiceGrpc.ProvisionerServiceImplBase {
}
