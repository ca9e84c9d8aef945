package io.orchestry.registry.domain;

import io.micronaut.data.exceptions.DataAccessException;
import io.orchestry.error.AlreadyExistsException;
import io.orchestry.error.NotFoundException;
import io.orchestry.registry.persistence.DatabaseFailures;
import io.orchestry.registry.persistence.NodeEntity;
import io.orchestry.registry.persistence.NodeRepository;
import io.orchestry.registry.persistence.NodeRows;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Registering nodes and reading them back. */
@Singleton
public class NodeService {
    static final String KIND = "node";

    private final NodeRepository repository;
    private final Clock clock;

    public NodeService(NodeRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Stores a new node; exactly one of two concurrent registrations of a name succeeds. */
    public Node register(NodeRegistration registration) {
        NodeValidator.validateRegistration(registration);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String endpoint = nullToEmpty(registration.endpoint());
        if (endpoint.isEmpty() && registration.driverKind() == DriverKind.PROCESS) {
            endpoint = "local";
        }
        Node node = new Node(registration.name(), registration.driverKind(), endpoint,
                nullToEmpty(registration.region()), nullToEmpty(registration.provider()),
                registration.labels() == null ? Map.of() : registration.labels(),
                registration.capacity(),
                registration.reserved() == null ? Resources.NONE : registration.reserved(),
                NodeStatus.PENDING, SchedulingMode.SCHEDULABLE, false, null, now, now, 1);
        try {
            return NodeRows.toNode(repository.save(NodeRows.toEntity(node)));
        } catch (DataAccessException e) {
            if (DatabaseFailures.isDuplicateKey(e)) {
                throw new AlreadyExistsException(KIND, registration.name());
            }
            throw DatabaseFailures.translate(e);
        }
    }

    public Node get(String name) {
        try {
            return repository.findById(name).map(NodeRows::toNode)
                    .orElseThrow(() -> new NotFoundException(KIND, name));
        } catch (DataAccessException e) {
            throw DatabaseFailures.translate(e);
        }
    }

    public NodePage list(NodeQuery query) {
        Set<NodeStatus> statuses = query.statuses().isEmpty() ? Set.of(NodeStatus.values()) : query.statuses();
        List<NodeEntity> rows;
        try {
            rows = repository.findPage(query.afterName(), query.region(),
                    query.driverKind() == null ? "" : query.driverKind().name(),
                    statuses.stream().map(Enum::name).toList(), query.pageSize() + 1);
        } catch (DataAccessException e) {
            throw DatabaseFailures.translate(e);
        }
        boolean more = rows.size() > query.pageSize();
        List<Node> nodes = rows.stream().limit(query.pageSize()).map(NodeRows::toNode).toList();
        return new NodePage(nodes, more ? nodes.get(nodes.size() - 1).name() : "");
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

}
