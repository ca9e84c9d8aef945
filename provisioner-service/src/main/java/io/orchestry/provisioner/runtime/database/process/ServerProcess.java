package io.orchestry.provisioner.runtime.database.process;

import io.orchestry.process.GracefulStop;
import io.orchestry.process.ProcStat;
import io.orchestry.provisioner.runtime.process.Cgroups;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The postmaster as an OS process: launched detached (its own session, so it outlives the provisioner, even a kill -9;
 * in its cgroups when it has limits; as the run-as user), recognised again by pid and start time, and what a killed
 * one leaves behind (its backends, in its process group) cleared before the next start.
 */
final class ServerProcess {
    private static final int LOG_TAIL = 500;
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private ServerProcess() {
    }

    /** The command line: setsid (or the cgroup join, which ends in setsid), then the run-as switch, then the server. */
    static List<String> commandLine(List<String> server, RunAs runAs, List<Path> cgroupProcs) {
        List<String> command = new ArrayList<>(cgroupProcs.isEmpty() ? List.of("setsid") : Cgroups.joinThenSetsid(cgroupProcs));
        command.addAll(runAs.wrap(server));
        return command;
    }

    static Process launch(List<String> command, Path dir, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(ClusterSetup.ENV);
        return builder.start();
    }

    /** Its start time in clock ticks after boot (with the pid, the process's identity); 0 when it is gone already. */
    static long startTicks(long pid) {
        return ProcStat.read(pid).map(ProcStat::startTime).orElse(0L);
    }

    /**
     * Whether the recorded postmaster runs: the pid alive with the recorded start time, and the data folder's
     * postmaster.pid naming it (or not written yet: a server that just started).
     */
    static boolean running(ServerState state, Path data) {
        Optional<ProcStat> stat = ProcStat.read(state.pid());
        if (stat.isEmpty() || !stat.get().alive() || stat.get().startTime() != state.startTicks()) {
            return false;
        }
        Optional<Long> recorded = postmasterPid(data);
        return recorded.isEmpty() || recorded.get() == state.pid();
    }

    /** The first line of postmaster.pid. */
    static Optional<Long> postmasterPid(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException absent) {
            return Optional.empty();
        }
    }

    /** Waits up to the grace for it to end, then kills its process group; returns whether it ended by itself. */
    static boolean awaitOrKill(ServerState state, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(state.pid()).filter(h -> startTicks(h.pid()) == state.startTicks());
        if (handle.isEmpty()) {
            return true;
        }
        if (GracefulStop.awaitExit(handle.get(), grace)) {
            return true;
        }
        GracefulStop.stop(handle.get(), Duration.ZERO);
        GracefulStop.awaitExit(handle.get(), AFTER_KILL);
        return false;
    }

    /**
     * Kills what a dead postmaster left running (backends still holding its shared memory would make the next start
     * fail): processes of its process group that run the same postgres executable. Nothing when the postmaster still
     * runs, or when its pid now leads another process group.
     */
    static void clearLeftovers(ServerState state, Path postgres) {
        long group = state.pid();
        if (group <= 1) {
            return;
        }
        Optional<ProcStat> leader = ProcStat.read(group);
        if (leader.isPresent() && leader.get().alive()) {
            return; // it runs (ours: not to be cleared) or the pid is another process's now
        }
        Path exe = realPath(postgres);
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> ProcStat.read(p.pid()).map(s -> s.pgrp() == group && s.alive()).orElse(false))
                .filter(p -> exe != null && exe.equals(exeOf(p.pid())))
                .toList();
        left.forEach(ProcessHandle::destroyForcibly);
        left.forEach(p -> GracefulStop.awaitExit(p, AFTER_KILL));
    }

    /** The last lines of the server's log, for why it is not running. */
    static String logTail(Path log) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - LOG_TAIL);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            int newline = text.indexOf('\n');
            return from > 0 && newline >= 0 ? text.substring(newline + 1) : text;
        } catch (IOException absent) {
            return "";
        }
    }

    private static Path exeOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
        } catch (IOException | UnsupportedOperationException gone) {
            return null;
        }
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException absent) {
            return null;
        }
    }
}
