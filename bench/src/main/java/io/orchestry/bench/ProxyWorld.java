package io.orchestry.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.launcher.ServiceKind;
import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.GetProxyConfigRequest;
import io.orchestry.proxy.v1.GetProxyStatusRequest;
import io.orchestry.proxy.v1.ListConfigRevisionsRequest;
import io.orchestry.proxy.v1.NginxState;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.ProxyStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One proxy-service JVM as the benchmark runs it: started by {@link BenchStack} (its own embedded PostgreSQL) with
 * {@code ORCHESTRY_PROXY_PROVISIONER} pointing at a {@link ProxyBenchProvisioner} of its own, its nginx on free
 * ports of 127.0.0.1 and a state folder of its own, and {@code ORCHESTRY_PROXY_NGINX_LUA} as given (auto: the Lua
 * balancer; off: static upstreams, a reload per replica change). {@link #close()} stops the JVM (which stops its
 * nginx), checks that the nginx master it reported is gone (else SIGKILLs that PID) and removes the folder.
 */
final class ProxyWorld implements AutoCloseable {
    final String name;
    final ProxyBenchProvisioner provisioner;
    final int httpPort;
    private final BenchStack stack;
    private final ManagedChannel channel;
    private final Path stateFolder;
    private final List<Long> nginxMasters = new ArrayList<>();

    private ProxyWorld(String name, ProxyBenchProvisioner provisioner, BenchStack stack, int httpPort, Path stateFolder) {
        this.name = name;
        this.provisioner = provisioner;
        this.stack = stack;
        this.httpPort = httpPort;
        this.stateFolder = stateFolder;
        this.channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                stack.grpcPort(ServiceKind.PROXY))).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    /** @param lua {@code auto}, {@code on} or {@code off} */
    static ProxyWorld start(Path root, String name, String lua, String nginxBinary) throws IOException {
        ProxyBenchProvisioner provisioner = ProxyBenchProvisioner.start();
        Path state = Files.createTempDirectory("ob-proxy-" + name + "-");
        // nginx runs as this user's child: a root master switches workers to nobody, who must read the prefix
        state.toFile().setReadable(true, false);
        state.toFile().setExecutable(true, false);
        int[] ports = freePorts(3);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        List<String> settings = List.of(
                "ORCHESTRY_PROXY_PROVISIONER=127.0.0.1:" + provisioner.port(),
                "ORCHESTRY_PROXY_STATE_FOLDER=" + state,
                "ORCHESTRY_PROXY_SECRETS_KEY=" + Base64.getEncoder().encodeToString(key),
                "ORCHESTRY_PROXY_NGINX_MODE=managed",
                "ORCHESTRY_PROXY_NGINX_BINARY=" + nginxBinary,
                "ORCHESTRY_PROXY_NGINX_HTTP_PORT=" + ports[0],
                "ORCHESTRY_PROXY_NGINX_HTTPS_PORT=" + ports[1],
                "ORCHESTRY_PROXY_NGINX_CONTROL_PORT=" + ports[2],
                "ORCHESTRY_PROXY_NGINX_LUA=" + lua);
        BenchStack stack;
        try {
            stack = BenchStack.start(root, settings, ServiceKind.PROXY);
        } catch (RuntimeException failed) {
            provisioner.close();
            delete(state);
            throw failed;
        }
        return new ProxyWorld(name, provisioner, stack, ports[0], state);
    }

    ProxyServiceGrpc.ProxyServiceBlockingStub proxy() {
        return ProxyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    ProxyServiceGrpc.ProxyServiceFutureStub proxyAsync() {
        return ProxyServiceGrpc.newFutureStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    ProxyStatus status() {
        return proxy().getProxyStatus(GetProxyStatusRequest.getDefaultInstance()).getStatus();
    }

    /** Waits until the proxy says its nginx runs. */
    ProxyStatus awaitNginx(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProxyStatus status = status();
        while (status.getState() != NginxState.NGINX_STATE_RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": nginx is not running after " + timeout + ": " + status);
            }
            Thread.sleep(100);
            status = status();
        }
        nginxMasters.add(status.getPid());
        return status;
    }

    /** The newest revision's number: how many renderings there were (0: none). */
    long revisionCount() {
        List<ConfigRevision> newest = proxy().listConfigRevisions(ListConfigRevisionsRequest.newBuilder().setPageSize(1).build())
                .getRevisionsList();
        return newest.isEmpty() ? 0 : newest.get(0).getNumber();
    }

    /** The worker pids of the nginx master the proxy reports (/proc/<pid>/task/<pid>/children), sorted. */
    List<Long> workerPids() {
        long master = status().getPid();
        if (!nginxMasters.contains(master)) {
            nginxMasters.add(master);
        }
        try {
            String children = Files.readString(Path.of("/proc", Long.toString(master), "task", Long.toString(master), "children")).trim();
            return children.isEmpty() ? List.of() : Stream.of(children.split("\\s+")).map(Long::parseLong).sorted().toList();
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** Whether the configuration nginx runs has the Lua balancer in it. */
    boolean luaBalancer() {
        String config = proxy().getProxyConfig(GetProxyConfigRequest.getDefaultInstance()).getRevision().getConfig();
        return config.contains("balancer_by_lua");
    }

    long proxyPid() {
        return stack.service(ServiceKind.PROXY).pid();
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return ports;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        stack.close();
        provisioner.close();
        for (long master : nginxMasters) {
            ProcessHandle.of(master).filter(p -> p.info().command().map(c -> c.contains("nginx")).orElse(false)).ifPresent(p -> {
                System.out.println("  " + name + ": nginx master " + master + " outlived the proxy service: SIGKILL");
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        delete(stateFolder);
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder: best effort
        }
    }
}
