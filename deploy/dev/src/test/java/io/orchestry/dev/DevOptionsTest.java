package io.orchestry.dev;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevOptionsTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void parse_nothing_defaults() {
        DevOptions options = DevOptions.parse(new String[0], Map.of(), ROOT);
        assertEquals(new DevOptions(ROOT, 0, Optional.empty()), options);
    }

    @Test
    void parse_everyOption_isRead() {
        DevOptions options = DevOptions.parse(new String[]{"--root", "/r", "--port-offset", "100", "--data-dir", "/d/./x"}, Map.of(), ROOT);
        assertEquals(new DevOptions(Path.of("/r"), 100, Optional.of(Path.of("/d/x"))), options);
    }

    @Test
    void parse_dataDirFromEnvironment_theFlagWins() {
        assertEquals(Optional.of(Path.of("/env")),
                DevOptions.parse(new String[0], Map.of("ORCHESTRY_DATA_DIR", "/env"), ROOT).dataDir());
        assertEquals(Optional.of(Path.of("/flag")),
                DevOptions.parse(new String[]{"--data-dir", "/flag"}, Map.of("ORCHESTRY_DATA_DIR", "/env"), ROOT).dataDir());
        assertEquals(Optional.empty(), DevOptions.parse(new String[0], Map.of("ORCHESTRY_DATA_DIR", " "), ROOT).dataDir());
    }

    @Test
    void parse_badInput_saysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevOptions.parse(new String[]{"--nope"}, Map.of(), ROOT)).getMessage().contains("unknown option --nope"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevOptions.parse(new String[]{"--data-dir"}, Map.of(), ROOT)).getMessage().contains("needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevOptions.parse(new String[]{"--port-offset", "x"}, Map.of(), ROOT)).getMessage().contains("takes a number"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DevOptions.parse(new String[]{"--port-offset", "-1"}, Map.of(), ROOT)).getMessage().contains("between"));
    }
}
