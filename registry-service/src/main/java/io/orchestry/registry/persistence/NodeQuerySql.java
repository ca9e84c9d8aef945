package io.orchestry.registry.persistence;

import io.orchestry.names.LabelSelector;
import io.micronaut.json.JsonMapper;
import io.orchestry.paging.PageRequest;
import io.orchestry.registry.domain.NodeQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The statement for one page of a node list: the query's filters, name order, {@link PageRequest#fetchSize()} rows. */
final class NodeQuerySql {
    private final StringBuilder sql = new StringBuilder("SELECT * FROM node WHERE name > ?");
    private final List<Object> args = new ArrayList<>();

    NodeQuerySql(JsonMapper json, NodeQuery query, PageRequest page) {
        args.add(page.after());
        if (!query.statuses().isEmpty()) {
            sql.append(" AND status = ANY (?)");
            args.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (!query.region().isEmpty()) {
            sql.append(" AND region = ?");
            args.add(query.region());
        }
        if (query.driverKind() != null) {
            sql.append(" AND driver_kind = ?");
            args.add(query.driverKind().name());
        }
        for (LabelSelector.Term term : query.labelSelector().terms()) {
            switch (term.operator()) {
                case EQUALS -> {
                    sql.append(" AND labels @> ?::jsonb");
                    args.add(LabelsColumn.write(json, Map.of(term.key(), term.value())));
                }
                case NOT_EQUALS -> {
                    sql.append(" AND NOT labels @> ?::jsonb");
                    args.add(LabelsColumn.write(json, Map.of(term.key(), term.value())));
                }
                case EXISTS -> {
                    sql.append(" AND jsonb_exists(labels, ?)");
                    args.add(term.key());
                }
                case NOT_EXISTS -> {
                    sql.append(" AND NOT jsonb_exists(labels, ?)");
                    args.add(term.key());
                }
            }
        }
        sql.append(" ORDER BY name LIMIT ?");
        args.add(page.fetchSize());
    }

    PreparedStatement prepare(Connection connection) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < args.size(); i++) {
                Object arg = args.get(i);
                if (arg instanceof String[] array) {
                    ps.setArray(i + 1, connection.createArrayOf("varchar", array));
                } else {
                    ps.setObject(i + 1, arg);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
