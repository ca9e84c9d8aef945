package io.orchestry.dev;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.launcher.PortOffsets;
import io.orchestry.launcher.ServiceKind;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Dev mode as a person runs it: the launcher in its own JVM, the node API through the gateway,
 * every gRPC service SERVING, this machine registered as nodes, then Ctrl-C (SIGINT) and nothing
 * left behind: no process, no port, no database folder. With {@code --data-dir}: a service killed
 * with SIGKILL comes back while the stack keeps running, a second dev mode on the same folder is
 * refused, and what was made before a stop is there after the next start.
 */
class DevModeIT {
    private static final Pattern POSTGRES_PORT = Pattern.compile("ready in \\d+ ms at jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern DATA_FOLDER = Pattern.compile("data in (\\S+), removed on exit");
    private static final Path ROOT = Path.of(System.getProperty("orchestry.root", "../..")).toAbsolutePath().normalize();

    @Test
    void devMode_servesTheNodeApi_andCtrlCLeavesNothingBehind() throws Exception {
        int offset = PortOffsets.findFree(ServiceKind.values());
        Launched dev = launch(offset, Map.of());
        try {
            assertNodeApiRoundTrips(offset, dev.printedToken());
            assertThisMachineIsRegistered(offset, dev.printedToken());
            for (ServiceKind kind : ServiceKind.values()) {
                if (kind.grpcPort(offset) > 0) {
                    assertEquals(ServingStatus.SERVING, health(kind.grpcPort(offset)), kind.shortName());
                }
            }
            String banner = String.join("\n", dev.lines);
            boolean nginx = DevNginx.find(System.getenv("PATH"), DevNginx.FALLBACKS, 0).found();
            assertTrue(banner.contains(nginx ? "nginx        -        http://127.0.0.1:" + (DevNginx.HTTP_PORT + offset)
                    + "  (routes: /api/v1/routes" : DevNginx.NOT_FOUND), "the banner says where nginx is, or that there is none");
            Matcher data = DATA_FOLDER.matcher(String.join("\n", dev.lines));
            assertTrue(data.find(), "the launcher names its database folder");
            Path dataFolder = Path.of(data.group(1));
            assertTrue(Files.isDirectory(dataFolder));

            Matcher postgresUrl = POSTGRES_PORT.matcher(String.join("\n", dev.lines));
            assertTrue(postgresUrl.find(), "the launcher names its database");
            int postgresPort = Integer.parseInt(postgresUrl.group(1));
            assertFalse(PortOffsets.isFree(postgresPort), "PostgreSQL listens");
            List<ProcessHandle> family = new ArrayList<>(dev.process.descendants().toList());
            assertTrue(family.size() >= ServiceKind.values().length, "the services run as children: " + family.size());
            // pg_ctl detaches PostgreSQL from the launcher: find it by its data folder
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(line -> line.contains(dataFolder.toString())).orElse(false))
                    .forEach(family::add);
            assertTrue(family.size() > ServiceKind.values().length, "PostgreSQL's processes are found by their data folder");

            interrupt(dev.process);
            assertTrue(dev.process.waitFor(60, TimeUnit.SECONDS), "dev mode stops on SIGINT");
            for (ProcessHandle member : family) {
                assertTrue(member.onExit().completeOnTimeout(member, 10, TimeUnit.SECONDS).join().isAlive() == false,
                        "process " + member.pid() + " (" + member.info().command().orElse("?") + ") is gone");
            }
            assertTrue(PortOffsets.allFree(offset, ServiceKind.values()), "every port is free again");
            for (int port : DevNginx.find(System.getenv("PATH"), DevNginx.FALLBACKS, offset).ports()) {
                assertTrue(PortOffsets.isFree(port), "nginx's port " + port + " is free again");
            }
            assertTrue(PortOffsets.isFree(postgresPort), "PostgreSQL's port is free again");
            assertFalse(Files.exists(dataFolder), "the embedded database folder is removed");
        } finally {
            dev.kill();
        }
    }

    @Test
    void devMode_usesThePostgresThatTheEnvironmentNames() throws Exception {
        int offset = PortOffsets.findFree(ServiceKind.values());
        try (EmbeddedDatabase external = EmbeddedDatabase.start(0)) {
            String url = external.createDatabase("external_orchestry");
            Launched dev = launch(offset, Map.of(
                    "DATASOURCES_DEFAULT_URL", url,
                    "DATASOURCES_DEFAULT_USERNAME", external.username(),
                    "DATASOURCES_DEFAULT_PASSWORD", external.password()));
            try {
                assertTrue(dev.lines.stream().anyMatch(line -> line.contains("using the PostgreSQL of DATASOURCES_DEFAULT_URL")));
                assertNodeApiRoundTrips(offset, dev.printedToken());
                try (Connection connection = DriverManager.getConnection(url, external.username(), external.password());
                     ResultSet rows = connection.createStatement().executeQuery(
                             "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN "
                                     + "('registry','provisioner','scaler','proxy','gateway') ORDER BY 1")) {
                    List<String> schemas = new ArrayList<>();
                    while (rows.next()) {
                        schemas.add(rows.getString(1));
                    }
                    assertEquals(List.of("gateway", "provisioner", "proxy", "registry", "scaler"), schemas);
                }
                interrupt(dev.process);
                assertTrue(dev.process.waitFor(60, TimeUnit.SECONDS));
            } finally {
                dev.kill();
            }
        }
    }

    @Test
    void devMode_withDataDir_restartsAKilledService_refusesASecondLauncher_andKeepsItsState() throws Exception {
        int offset = PortOffsets.findFree(ServiceKind.values());
        Path dataDir = Files.createTempDirectory("orchestry-dev-it-data-");
        try {
            String token;
            String createdSecret;
            Launched dev = launch(offset, Map.of(), "--data-dir", dataDir.toString());
            try {
                token = dev.printedToken();
                assertThisMachineIsRegistered(offset, token);
                assertNodeApiRoundTrips(offset, token);
                createdSecret = createToken(offset, token);

                // a second dev mode on the same data dir is refused at once, before it starts anything
                int other = PortOffsets.findFree(ServiceKind.values());
                Exited second = runToExit(other, "--data-dir", dataDir.toString());
                assertEquals(1, second.code(), second.output());
                assertTrue(second.output().contains("another dev mode uses the data dir " + dataDir), second.output());

                // kill -9 of the registry: it is started again, the stack goes on
                long registry = dev.pidOf("registry");
                ProcessHandle.of(registry).orElseThrow().destroyForcibly();
                dev.awaitLine(line -> line.contains("registry-service exited with code 137; restarting in 1 s (restart 1)"));
                dev.awaitLine(line -> line.contains("registry-service is ready again"));
                assertTrue(dev.process.isAlive(), "dev mode goes on");
                assertEquals(ServingStatus.SERVING, health(ServiceKind.REGISTRY.grpcPort(offset)));
                // the gateway's channel to the registry reconnects with its own backoff: poll, bounded
                assertEquals(200, awaitOk(offset, "/api/v1/nodes/laptop", token).statusCode(), "the database was kept");
                assertEquals(200, awaitOk(offset, "/api/v1/status", token).statusCode());

                interrupt(dev.process);
                assertTrue(dev.process.waitFor(60, TimeUnit.SECONDS), "dev mode stops on SIGINT");
            } finally {
                dev.kill();
            }
            assertTrue(Files.isRegularFile(dataDir.resolve("postgres/PG_VERSION")), "the database is kept");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dataDir.resolve("admin-token"))));

            Launched again = launch(offset, Map.of(), "--data-dir", dataDir.toString());
            try {
                assertEquals(token, again.printedToken(), "the admin token is kept");
                assertTrue(again.lines.stream().anyMatch(line -> line.contains("local ") && line.contains("already registered")),
                        "the local node was there already");
                HttpResponse<String> laptop = get(offset, "/api/v1/nodes/laptop", token);
                assertEquals(200, laptop.statusCode(), laptop.body());
                assertEquals(200, get(offset, "/api/v1/nodes/laptop", createdSecret).statusCode(), "the token made before works");
                interrupt(again.process);
                assertTrue(again.process.waitFor(60, TimeUnit.SECONDS));
            } finally {
                again.kill();
            }
        } finally {
            deleteTree(dataDir);
        }
    }

    /** The process node {@code local}, and the docker node when an engine answers here. */
    private static void assertThisMachineIsRegistered(int offset, String token) throws Exception {
        HttpResponse<String> local = get(offset, "/api/v1/nodes/local", token);
        assertEquals(200, local.statusCode(), local.body());
        assertTrue(local.body().contains("\"driverKind\":\"process\""), local.body());
        assertTrue(local.body().contains("\"region\":\"local\""), local.body());
        assertTrue(local.body().contains("\"orchestry.io/dev\":\"true\""), local.body());
        assertTrue(local.body().contains("\"cpuMillis\":" + Runtime.getRuntime().availableProcessors() * 1000), local.body());
        if (DockerEngine.probe().isPresent()) {
            HttpResponse<String> docker = get(offset, "/api/v1/nodes/docker", token);
            assertEquals(200, docker.statusCode(), docker.body());
            assertTrue(docker.body().contains("unix:///var/run/docker.sock"), docker.body());
        } else {
            System.out.println("[dev-it] no Docker Engine answers here: the docker node is not checked");
        }
    }

    private static String createToken(int offset, String adminToken) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset) + "/api/v1/tokens"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kept\",\"role\":\"viewer\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        Matcher secret = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
        assertTrue(secret.find(), created.body());
        return secret.group(1);
    }

    /** GETs until the answer is 200 or 90 s have passed; returns the last answer. */
    private static HttpResponse<String> awaitOk(int offset, String path, String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpResponse<String> last = get(offset, path, token);
        while (last.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            last = get(offset, path, token);
        }
        return last;
    }

    private static HttpResponse<String> get(int offset, String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset) + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void deleteTree(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** With the admin token dev mode printed, as a new user would copy it; without one, 401. */
    private static void assertNodeApiRoundTrips(int offset, String token) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + ServiceKind.GATEWAY.httpPort(offset);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"laptop\",\"driverKind\":\"process\",\"capacity\":{\"cpuMillis\":2000,\"memoryBytes\":4294967296}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes/laptop"))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fetched.statusCode(), fetched.body());
        assertTrue(fetched.body().contains("\"endpoint\":\"local\""), fetched.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes/elsewhere"))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode(), missing.body());
    }

    private static ServingStatus health(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().build()).getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void interrupt(Process process) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    private record Exited(int code, String output) {
    }

    /** Runs a launcher that is expected to give up at once, and returns how it ended. */
    private static Exited runToExit(int offset, String... args) throws Exception {
        Process process = builder(offset, args).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            return new Exited(process.exitValue(), output);
        } finally {
            new Launched(process, List.of()).kill();
        }
    }

    record Launched(Process process, List<String> lines) {
        /** The pid of a service, from the banner's table ("  registry     12345 ..."). */
        long pidOf(String service) {
            Pattern row = Pattern.compile("^  " + service + "\\s+(\\d+)\\s");
            synchronized (lines) {
                for (String line : lines) {
                    Matcher matcher = row.matcher(line);
                    if (matcher.find()) {
                        return Long.parseLong(matcher.group(1));
                    }
                }
            }
            throw new AssertionError("no pid of " + service + " in the banner");
        }

        /** Waits (bounded) until dev mode prints a line that matches. */
        void awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(wanted)) {
                        return;
                    }
                }
                assertTrue(process.isAlive(), "dev mode is still running");
                Thread.sleep(100);
            }
            fail("dev mode did not print the line awaited; its output:\n" + String.join("\n", lines));
        }

        /** The admin token printed under "Admin token". */
        String printedToken() {
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Admin token")) {
                    return lines.get(i + 1).strip();
                }
            }
            throw new AssertionError("dev mode printed no admin token:\n" + String.join("\n", lines));
        }

        /** Stops dev mode however the test ended: SIGINT first, so that it stops PostgreSQL too, then SIGKILL. */
        void kill() {
            if (!process.isAlive()) {
                return;
            }
            try {
                interrupt(process);
                if (process.waitFor(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (IOException | InterruptedException e) {
                // fall through to SIGKILL
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Starts the launcher as the README does (without the build step) and waits for DEV MODE READY. */
    static Launched launch(int offset, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = builder(offset, args);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[dev-it] " + line);
                    lines.add(line);
                    if (line.equals("DEV MODE READY")) {
                        ready.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the launcher is gone
            }
            ready.add("EXITED");
        });
        pump.setDaemon(true);
        pump.start();
        String outcome = ready.poll(180, TimeUnit.SECONDS);
        if (!"DEV MODE READY".equals(outcome)) {
            new Launched(process, lines).kill();
            fail("dev mode did not come up (" + outcome + "); its output:\n" + String.join("\n", lines));
        }
        return new Launched(process, lines);
    }

    private static ProcessBuilder builder(int offset, String... args) throws IOException {
        Path module = ROOT.resolve("deploy/dev");
        String classPath = module.resolve("target/classes") + File.pathSeparator
                + Files.readString(module.resolve("target/runtime-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", classPath,
                DevLauncher.class.getName(), "--root", ROOT.toString(), "--port-offset", Integer.toString(offset)));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DATASOURCES_DEFAULT_URL");
        builder.environment().remove("ORCHESTRY_DATA_DIR");
        builder.environment().remove("ORCHESTRY_GATEWAY_AUTH_BOOTSTRAP_TOKEN");
        return builder;
    }
}
