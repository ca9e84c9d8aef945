package io.orchestry.proxy.grpc;

import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.proxy.v1.ProxyServiceGrpc;

/**
 * The proxy service's v1 contract (routes, nginx configuration and its revisions). None of its RPCs is built yet: each answers
 * UNIMPLEMENTED (the generated base class does that) until the proxy issue (ROADMAP.md, "Proxy") fills it in. The server
 * around it is real: health that follows the database, reflection, metrics, its own schema.
 */
@GrpcService
public class ProxyGrpcEndpoint extends ProxyServiceGrpc.ProxyServiceImplBase {
}
