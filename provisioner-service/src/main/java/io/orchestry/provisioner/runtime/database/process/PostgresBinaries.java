package io.orchestry.provisioner.runtime.database.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL binaries a node has, by major version: Debian's {@code <root>/<v>/bin} folders, then the configured
 * {@code bin} folders (whose version {@code postgres --version} tells). A folder counts only with {@code initdb},
 * {@code pg_ctl} and {@code postgres} executable in it.
 */
public final class PostgresBinaries {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");
    private static final List<String> NEEDED = List.of("initdb", "pg_ctl", "postgres");

    private final Map<String, Path> bins;

    PostgresBinaries(Map<String, Path> bins) {
        this.bins = Collections.unmodifiableMap(new LinkedHashMap<>(bins));
    }

    /**
     * Looks now.
     *
     * @param versionOf asks a configured folder's {@code postgres --version} (its output; empty when it cannot run)
     */
    static PostgresBinaries find(Path debianRoot, List<Path> configured, Function<Path, Optional<String>> versionOf) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : debianVersions(debianRoot)) {
            String major = dir.getFileName().toString();
            Path bin = dir.resolve("bin");
            if (complete(bin)) {
                found.putIfAbsent(major, bin);
            }
        }
        for (Path bin : configured) {
            if (complete(bin)) {
                versionOf.apply(bin).flatMap(PostgresBinaries::major).ifPresent(major -> found.putIfAbsent(major, bin));
            }
        }
        return new PostgresBinaries(found);
    }

    private static List<Path> debianVersions(Path root) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return dirs;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))) {
            stream.forEach(dirs::add);
        } catch (IOException unreadable) {
            return dirs;
        }
        dirs.sort(null);
        return dirs;
    }

    static boolean complete(Path bin) {
        return NEEDED.stream().allMatch(name -> Files.isExecutable(bin.resolve(name)) && Files.isRegularFile(bin.resolve(name)));
    }

    /** The major version in {@code postgres --version} output: "16" of "postgres (PostgreSQL) 16.4", "9.6" of 9.6.24. */
    static Optional<String> major(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        int first = Integer.parseInt(m.group(1));
        return Optional.of(first >= 10 || m.group(2) == null ? Integer.toString(first) : first + "." + m.group(2));
    }

    public Set<String> versions() {
        return new TreeSet<>(bins.keySet());
    }

    /** The {@code bin} folder of a major version. */
    public Optional<Path> bin(String version) {
        return Optional.ofNullable(bins.get(version));
    }
}
