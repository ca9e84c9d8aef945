package io.orchestry.registry.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The latest heartbeat of every node, as the replicas that took them flush them. Heartbeats change no version. */
public interface HeartbeatRepository {

    /** Writes the latest heartbeat of many nodes in one statement. */
    void write(List<Heartbeat> beats);

    /** The latest stored heartbeat of each named node that has one. */
    Map<String, Instant> latest(Collection<String> names);
}
