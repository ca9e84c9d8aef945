package io.orchestry.registry.persistence;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Collection;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NodeRepository extends CrudRepository<NodeEntity, String> {

    /**
     * One page in name order after {@code afterName}. An empty {@code region} or {@code driverKind}
     * matches any; {@code statuses} lists the statuses wanted (all of them for no filter).
     */
    @Query("""
            SELECT * FROM node
            WHERE name > :afterName
              AND (:region = '' OR region = :region)
              AND (:driverKind = '' OR driver_kind = :driverKind)
              AND status IN (:statuses)
            ORDER BY name
            LIMIT :limit""")
    List<NodeEntity> findPage(String afterName, String region, String driverKind, Collection<String> statuses, int limit);
}
