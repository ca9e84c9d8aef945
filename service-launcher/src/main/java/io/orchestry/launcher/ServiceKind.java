package io.orchestry.launcher;

/**
 * The five services, the module each lives in, and the ports they listen on by default (the
 * README's ports table). {@code grpcPort} is -1 for the gateway, which serves HTTP only.
 */
public enum ServiceKind {
    REGISTRY("registry-service", "io.orchestry.registry.RegistryApplication", 9090, 8090),
    PROVISIONER("provisioner-service", "io.orchestry.provisioner.ProvisionerApplication", 9091, 8091),
    SCALER("scaler-service", "io.orchestry.scaler.ScalerApplication", 9092, 8092),
    PROXY("proxy-service", "io.orchestry.proxy.ProxyApplication", 9093, 8093),
    GATEWAY("gateway", "io.orchestry.gateway.GatewayApplication", -1, 8080);

    private final String module;
    private final String mainClass;
    private final int grpcPort;
    private final int httpPort;

    ServiceKind(String module, String mainClass, int grpcPort, int httpPort) {
        this.module = module;
        this.mainClass = mainClass;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
    }

    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The gRPC port with every port moved by {@code offset}; -1 when the service has none. */
    public int grpcPort(int offset) {
        return grpcPort < 0 ? -1 : grpcPort + offset;
    }

    /** The HTTP port (the management port of a gRPC service, the API port of the gateway). */
    public int httpPort(int offset) {
        return httpPort + offset;
    }

    /** The short name used in logs and tables: registry, provisioner, scaler, proxy, gateway. */
    public String shortName() {
        return module.replace("-service", "");
    }
}
