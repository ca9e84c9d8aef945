package io.orchestry.provisioner.runtime.process;

import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.WorkloadSpec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a spec into a running process: validation, environment, the {@code setsid} (and cgroup) launch. */
final class Launcher {
    private final Map<String, String> inherited;
    private final Path setsid;

    Launcher(Map<String, String> inherited, Path setsid) {
        this.inherited = Map.copyOf(inherited);
        this.setsid = setsid;
    }

    /** What a start needs, checked before anything is made: the command (resolved) and the working directory. */
    record Plan(Runtime.Process runtime, Path executable, Path workingDir, boolean ownWorkingDir) {
    }

    Plan plan(WorkloadSpec spec, Path workloadDir) {
        if (!(spec.runtime() instanceof Runtime.Process process)) {
            throw new FailedPreconditionException("the process driver runs process runtimes only, not "
                    + spec.runtime().driverKind() + " (" + spec.id() + ")");
        }
        boolean own = process.workingDir().isEmpty();
        Path workingDir = own ? workloadDir.resolve("work") : Path.of(process.workingDir());
        if (!own && !Files.isDirectory(workingDir)) {
            throw new FailedPreconditionException("working directory " + workingDir + " does not exist on this node");
        }
        String path = spec.env().getOrDefault("PATH", inherited.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        return new Plan(process, ProcessLaunch.resolve(process.command(), workingDir, path), workingDir, own);
    }

    Map<String, String> environment(WorkloadSpec spec, List<InstancePort> ports) {
        Map<String, String> orchestry = new LinkedHashMap<>();
        orchestry.put("ORCHESTRY_INSTANCE", spec.id().value());
        orchestry.put("ORCHESTRY_APP", spec.owner().app());
        orchestry.put("ORCHESTRY_PROJECT", spec.owner().project());
        orchestry.put("ORCHESTRY_REVISION", Long.toString(spec.owner().revision()));
        return ProcessLaunch.environment(inherited, spec.env(), ProcessLaunch.portEnv(ports), orchestry);
    }

    /** The command line: {@code setsid exe args}, or the cgroup script first when the workload has cgroups. */
    List<String> commandLine(Path executable, List<String> args, List<Path> cgroupProcs) {
        List<String> command = new ArrayList<>();
        if (!cgroupProcs.isEmpty()) {
            command.addAll(Cgroups.joinThenSetsid(cgroupProcs));
        } else {
            command.add(setsid.toString());
        }
        command.add(executable.toString());
        command.addAll(args);
        return command;
    }

    static Process spawn(List<String> command, Path workingDir, Map<String, String> env, LogFiles logs) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.file(io.orchestry.provisioner.runtime.LogEntry.Stream.STDOUT).toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(logs.file(io.orchestry.provisioner.runtime.LogEntry.Stream.STDERR).toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** What was asked for (not who asked): runtime, env, ports, limits. */
    static String specHash(WorkloadSpec spec) {
        try {
            String canonical = spec.runtime() + "|" + new TreeMap<>(spec.env()) + "|" + spec.ports() + "|" + spec.limits();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
