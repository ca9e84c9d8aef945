package io.orchestry.scaler.grpc;

import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.scaler.v1.ScalerServiceGrpc;

/**
 * The scaler service's v1 contract (policies, decisions, recommendations and metrics). None of its RPCs is built yet: each answers
 * UNIMPLEMENTED (the generated base class does that) until the autoscaler issue (ROADMAP.md, "Autoscaler") fills it in. The server
 * around it is real: health that follows the database, reflection, metrics, its own schema.
 */
@GrpcService
public class ScalerGrpcEndpoint extends ScalerServiceGrpc.ScalerServiceImplBase {
}
