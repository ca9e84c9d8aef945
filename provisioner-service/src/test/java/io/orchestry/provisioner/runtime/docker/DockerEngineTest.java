package io.orchestry.provisioner.runtime.docker;

import io.orchestry.error.UnavailableException;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerSelector;
import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An engine that takes the connection and never answers (a SIGSTOPped dockerd) does not hang its caller. */
class DockerEngineTest {

    @Test
    void quick_engineThatNeverAnswersOnItsUnixSocket_unavailableAfterTheReadTimeout() throws Exception {
        Path dir = Files.createTempDirectory("silent-engine");
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket)); // connections queue in the backlog; none is ever read
            try (DockerEngine engine = DockerEngine.open("unix://" + socket, "n1", Duration.ofMillis(300))) {
                // the bound only keeps a regression from hanging the build; it measures nothing
                UnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                        assertThrows(UnavailableException.class, () -> engine.quick(() -> engine.calls().infoCmd().exec())));
                assertTrue(e.getMessage().contains("n1"), e.getMessage());
                DockerDriver driver = new DockerDriver(new NodeTarget("n1", DriverKind.DOCKER, "unix://" + socket, "127.0.0.1"),
                        engine, Clock.systemUTC());
                assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                        assertThrows(UnavailableException.class, () -> driver.list(OwnerSelector.ALL)));
                assertTrue(!driver.fingerprint().healthy(), "unreachable, not hung");
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}
