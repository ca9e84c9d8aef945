package io.orchestry.provisioner.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs workloads on one node, after Nomad's task drivers. One instance per node (made by a {@link DriverFactory}); every
 * method is safe to call again (idempotent) and from several threads. A workload is known by its deterministic
 * {@link WorkloadId}; everything a driver creates carries the {@link OwnerLabels}, and a driver never touches what does
 * not carry them. Failures to reach the node are {@code io.orchestry.error.UnavailableException}; a spec the node cannot
 * run until it changes (missing image or executable) is {@link NotOnNodeException}; any other refusal that may pass is
 * {@code FailedPreconditionException}.
 */
public interface RuntimeDriver extends AutoCloseable {

    DriverCapabilities capabilities();

    /** Health and typed attributes of the node as the driver sees it now; never throws for an unreachable node. */
    Fingerprint fingerprint();

    /**
     * Starts the workload, or adopts it when one of ours with this id already runs; one of ours by this id that does not
     * run is removed and started again. Returns once the driver has started it (not once it is healthy).
     */
    WorkloadHandle start(WorkloadSpec spec);

    Optional<WorkloadStatus> inspect(WorkloadId id);

    /** Every workload of ours on the node that matches: the observed state (running or exited, not yet destroyed). */
    List<WorkloadStatus> list(OwnerSelector owner);

    /** SIGTERM (or the engine's stop), then SIGKILL after the grace. No error when it is not running. */
    void stop(WorkloadId id, Duration grace);

    /** Removes what the workload left (container, state, not its logs unless forced); stops it first when force. */
    void destroy(WorkloadId id, boolean force);

    /** A usage sample when {@link DriverCapabilities#stats()} and the workload runs. */
    Optional<WorkloadUsage> stats(WorkloadId id);

    /** Runs a command inside (container) or beside (process, with its environment) the workload: the exit code. */
    ExecResult exec(WorkloadId id, List<String> command, Duration timeout);

    /**
     * The workload's log: the last {@code query.tailLines()} lines at or after {@code query.since()}, then (with follow)
     * new lines as they are written, until the returned handle is closed.
     */
    AutoCloseable logs(WorkloadId id, LogQuery query, Consumer<LogEntry> sink);

    /** Releases connections; what runs keeps running. */
    @Override
    void close();
}
