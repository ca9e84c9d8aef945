package io.orchestry.registry.persistence;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import io.orchestry.registry.domain.DriverKind;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.SchedulingMode;

import java.time.Instant;
import java.util.Map;

/**
 * A row of the {@code node} table. {@code version} starts at 1 and grows with every change;
 * {@code resourceVersion} comes from the {@code resource_version} counter at every change.
 */
@MappedEntity("node")
record NodeEntity(
        @Id String name,
        DriverKind driverKind,
        String endpoint,
        String region,
        String provider,
        @TypeDef(type = DataType.JSON) Map<String, String> labels,
        long capacityCpuMillis,
        long capacityMemoryBytes,
        long capacityDiskBytes,
        long reservedCpuMillis,
        long reservedMemoryBytes,
        long reservedDiskBytes,
        long allocatedCpuMillis,
        long allocatedMemoryBytes,
        long allocatedDiskBytes,
        int allocatedWorkloads,
        long usageCpuMillis,
        long usageMemoryBytes,
        long usageDiskBytes,
        int usageWorkloads,
        NodeStatus status,
        SchedulingMode schedulingMode,
        @Nullable Instant drainDeadline,
        boolean independent,
        // a bytea column as Micronaut Data maps it; the row never leaves this package and is only asked
        // whether credentials are there
        @SuppressWarnings("ArrayRecordComponent") @Nullable byte[] credentials,
        @Nullable Instant lastHeartbeatAt,
        Instant createdAt,
        Instant updatedAt,
        long version,
        long resourceVersion) {
}
