package io.orchestry.provisioner.runtime;

/** How a command run by {@link RuntimeDriver#exec} ended; timedOut: killed at the timeout (exitCode then -1). */
public record ExecResult(int exitCode, boolean timedOut, String output) {
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
