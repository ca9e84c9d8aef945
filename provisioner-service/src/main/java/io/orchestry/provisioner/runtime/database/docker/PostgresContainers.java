package io.orchestry.provisioner.runtime.database.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.orchestry.provisioner.runtime.database.DatabaseLabels;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.database.ServerSettings;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure mapping between a {@link DatabaseServerSpec} and an {@code orchestry/postgres} container (deploy/images/postgres:
 * its entrypoint initialises an empty data folder from the environment and sets the password at every start), and from
 * the engine's inspect back to a {@link DatabaseServer}. The password never goes into the container's configuration
 * (which {@code docker inspect} shows): it is copied in as a file before the start, which the entrypoint reads and
 * deletes.
 */
final class PostgresContainers {
    static final String IMAGE_REPOSITORY = "orchestry/postgres";
    static final String DATA_FOLDER = "/var/lib/postgresql/data";
    static final int CONTAINER_PORT = 5432;
    /** Where the password file is copied to, and its name there. */
    static final String PASSWORD_FOLDER = "/run";
    static final String PASSWORD_FILE = "orchestry-postgres-password";

    private PostgresContainers() {
    }

    static String image(String version) {
        return IMAGE_REPOSITORY + ":" + version;
    }

    /** The major version an image tag names ("15"), or empty for any other tag ("latest", "15.4"). */
    static Optional<String> versionOf(String repoTag) {
        String prefix = IMAGE_REPOSITORY + ":";
        if (repoTag == null || !repoTag.startsWith(prefix)) {
            return Optional.empty();
        }
        String tag = repoTag.substring(prefix.length());
        return tag.matches("[1-9][0-9]*") ? Optional.of(tag) : Optional.empty();
    }

    /** The entrypoint's variables: user, database, the password file (deleted once read). Sorted, no password. */
    static List<String> env(DatabaseServerSpec spec) {
        return List.of(
                "ORCHESTRY_REMOVE_PASSWORD_FILE=true",
                "POSTGRES_DB=" + spec.databaseName(),
                "POSTGRES_PASSWORD_FILE=" + PASSWORD_FOLDER + "/" + PASSWORD_FILE,
                "POSTGRES_USER=" + spec.username());
    }

    /** {@code -c name=value} for each setting sized to the memory limit (the entrypoint passes them to postgres). */
    static List<String> args(DatabaseServerSpec spec) {
        long memory = spec.limits() == null ? 0 : spec.limits().memoryBytes();
        List<String> args = new ArrayList<>();
        ServerSettings.forMemory(memory).forEach((name, value) -> {
            args.add("-c");
            args.add(name + "=" + value);
        });
        return List.copyOf(args);
    }

    static long memoryBytes(DatabaseServerSpec spec) {
        return spec.limits() == null ? 0 : Math.max(0, spec.limits().memoryBytes());
    }

    static long nanoCpus(DatabaseServerSpec spec) {
        return spec.limits() == null ? 0 : Math.max(0, spec.limits().cpuMillis()) * 1_000_000L;
    }

    /**
     * Why a password cannot be handed to the entrypoint (which puts it into an SQL string: one line, no control
     * characters), or empty when it can. Never quotes the password.
     */
    static Optional<String> unusablePassword(String password) {
        if (password.isEmpty()) {
            return Optional.of("the password is empty");
        }
        if (password.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("the password holds a control character (a line break, a tab, ...)");
        }
        return Optional.empty();
    }

    /** A tar of the one password file (root-owned, mode 0600) for the engine's copy into the container. */
    static byte[] passwordArchive(String password) {
        byte[] content = (password + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream tar = new ByteArrayOutputStream(2048);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry entry = new TarArchiveEntry(PASSWORD_FILE);
            entry.setSize(content.length);
            entry.setMode(0100600);
            entry.setIds(0, 0);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
            out.finish();
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory);
        }
        return tar.toByteArray();
    }

    /** The server a container of ours is; empty for a container without our labels. */
    static Optional<DatabaseServer> server(InspectContainerResponse container, String host, String logTail) {
        Map<String, String> labels = container.getConfig() == null ? Map.of() : container.getConfig().getLabels();
        Optional<DatabaseLabels> ours = DatabaseLabels.from(labels);
        if (ours.isEmpty()) {
            return Optional.empty();
        }
        InspectContainerResponse.ContainerState state = container.getState();
        boolean running = state != null && Boolean.TRUE.equals(state.getRunning());
        Instant startedAt = running ? time(state.getStartedAt()) : null;
        return Optional.of(new DatabaseServer(name(container), ours.get(), host, port(container), running,
                running ? "" : detail(state, logTail), startedAt));
    }

    /** The server of a volume of ours that has no container (data kept by a destroy): stopped, its port unknown (0). */
    static Optional<DatabaseServer> keptData(String name, Map<String, String> volumeLabels, String host) {
        return DatabaseLabels.from(volumeLabels).map(labels -> new DatabaseServer(name, labels, host, 0, false,
                "no container: only its data is kept", null));
    }

    /** Why it does not run, for people: the engine's error, OOM, the exit code, and the end of its log. */
    static String detail(InspectContainerResponse.ContainerState state, String logTail) {
        StringBuilder detail = new StringBuilder();
        if (state == null) {
            detail.append("no state");
        } else if (state.getError() != null && !state.getError().isBlank()) {
            detail.append(state.getError().strip());
        } else if (Boolean.TRUE.equals(state.getOOMKilled())) {
            detail.append("OOM killed");
        } else if ("created".equals(state.getStatus())) {
            detail.append("created, never started");
        } else {
            detail.append("exited with code ").append(state.getExitCodeLong());
        }
        if (logTail != null && !logTail.isBlank()) {
            detail.append(": ").append(logTail.strip());
        }
        return detail.toString();
    }

    /** The host port bound to 5432/tcp in the container's configuration (known even when it does not run); 0: none. */
    static int port(InspectContainerResponse container) {
        if (container.getHostConfig() == null || container.getHostConfig().getPortBindings() == null) {
            return 0;
        }
        Ports.Binding[] bindings = container.getHostConfig().getPortBindings().getBindings()
                .get(ExposedPort.tcp(CONTAINER_PORT));
        if (bindings == null) {
            return 0;
        }
        for (Ports.Binding binding : bindings) {
            String spec = binding.getHostPortSpec();
            if (spec != null && spec.matches("[0-9]+")) {
                return Integer.parseInt(spec);
            }
        }
        return 0;
    }

    /** An engine time, or null for its zero time ({@code 0001-01-01T00:00:00Z}: never). */
    static Instant time(String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }

    private static String name(InspectContainerResponse container) {
        String name = container.getName() == null ? "" : container.getName();
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
