package io.orchestry.proxy.grpc;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteRequest;
import io.orchestry.proxy.domain.RouteTimeouts;
import io.orchestry.proxy.v1.TlsConfig;

import java.util.List;

/** Routes between the v1 contract and the domain. The private key goes in only; it never comes out. */
final class RouteProtoMapper {
    private RouteProtoMapper() {
    }

    static io.orchestry.proxy.v1.Route toProto(Route route) {
        var b = io.orchestry.proxy.v1.Route.newBuilder()
                .setId(route.id())
                .setApp(route.app())
                .setProject(route.project())
                .addAllHosts(route.hosts())
                .setPathPrefix(route.pathPrefix())
                .setStripPrefix(route.stripPrefix())
                .setPortName(route.portName())
                .setHasTls(route.tls() != null)
                .setLoadBalancing(toProto(route.loadBalancing()))
                .setIsDefault(route.isDefault())
                .setCreateTime(ProtoTime.toTimestamp(route.createTime()))
                .setUpdateTime(ProtoTime.toTimestamp(route.updateTime()))
                .setVersion(route.version());
        if (route.tls() != null) {
            b.setTls(TlsConfig.newBuilder().setCertificatePem(route.tls().certificatePem())
                    .setRedirectHttp(route.tls().redirectHttp())
                    .setCertificateExpireTime(ProtoTime.toTimestamp(route.tls().expireTime())));
        }
        var timeouts = io.orchestry.proxy.v1.RouteTimeouts.newBuilder();
        if (route.timeouts().connect() != null) {
            timeouts.setConnect(ProtoTime.toDuration(route.timeouts().connect()));
        }
        if (route.timeouts().read() != null) {
            timeouts.setRead(ProtoTime.toDuration(route.timeouts().read()));
        }
        return b.setTimeouts(timeouts).build();
    }

    static RouteRequest toRequest(String app, List<String> hosts, String pathPrefix, boolean stripPrefix, String portName,
                                  boolean hasTls, TlsConfig tls, io.orchestry.proxy.v1.LoadBalancing loadBalancing,
                                  boolean hasTimeouts, io.orchestry.proxy.v1.RouteTimeouts timeouts, boolean isDefault) {
        RouteRequest.Tls domainTls = hasTls ? new RouteRequest.Tls(tls.getCertificatePem(), tls.getPrivateKeyPem(),
                tls.getRedirectHttp()) : null;
        RouteTimeouts domainTimeouts = !hasTimeouts ? RouteTimeouts.DEFAULTS : new RouteTimeouts(
                timeouts.hasConnect() ? ProtoTime.toJava(timeouts.getConnect()) : null,
                timeouts.hasRead() ? ProtoTime.toJava(timeouts.getRead()) : null);
        return new RouteRequest(app, hosts, pathPrefix, stripPrefix, portName, domainTls, toDomain(loadBalancing),
                domainTimeouts, isDefault);
    }

    static LoadBalancing toDomain(io.orchestry.proxy.v1.LoadBalancing value) {
        return switch (value) {
            case LOAD_BALANCING_UNSPECIFIED -> null;
            case LOAD_BALANCING_ROUND_ROBIN -> LoadBalancing.ROUND_ROBIN;
            case LOAD_BALANCING_LEAST_CONN -> LoadBalancing.LEAST_CONN;
            case LOAD_BALANCING_IP_HASH -> LoadBalancing.IP_HASH;
            default -> throw new InvalidArgumentException("load_balancing", "unknown value");
        };
    }

    static io.orchestry.proxy.v1.LoadBalancing toProto(LoadBalancing value) {
        return switch (value) {
            case ROUND_ROBIN -> io.orchestry.proxy.v1.LoadBalancing.LOAD_BALANCING_ROUND_ROBIN;
            case LEAST_CONN -> io.orchestry.proxy.v1.LoadBalancing.LOAD_BALANCING_LEAST_CONN;
            case IP_HASH -> io.orchestry.proxy.v1.LoadBalancing.LOAD_BALANCING_IP_HASH;
        };
    }
}
