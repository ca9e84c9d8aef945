package io.orchestry.dev;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DockerEngineTest {

    @Test
    void parse_infoJson_readsCpusAndMemory() {
        String response = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                + "{\"ID\":\"x\",\"NCPU\": 2,\"Name\":\"n\",\"MemTotal\":25275990016,\"Labels\":[]}";
        assertEquals(Optional.of(new DockerEngine.Info(2, 25_275_990_016L)), DockerEngine.parse(response));
    }

    @Test
    void parse_withoutTheFields_isEmpty() {
        assertEquals(Optional.empty(), DockerEngine.parse("{\"message\":\"page not found\"}"));
        assertEquals(Optional.empty(), DockerEngine.parse("{\"NCPU\":0,\"MemTotal\":0}"));
    }

    @Test
    void fromSocket_noSocket_isEmpty() {
        assertEquals(Optional.empty(), DockerEngine.fromSocket(Path.of("/nonexistent/docker.sock")));
    }
}
