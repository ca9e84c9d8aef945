package io.orchestry.proxy.persistence;

import io.orchestry.controlloop.Fence;
import io.orchestry.controlloop.Leadership;
import io.orchestry.database.failures.Transactions;
import io.orchestry.error.NotFoundException;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Config revisions, written by the apply loop on the leader: every write is fenced with the leader's epoch, takes a
 * resource version first (so numbers are max + 1 without gaps or races) and commits with its events; after the commit
 * this replica's feed is caught up.
 */
@Singleton
class JdbcRevisionRepository implements RevisionRepository {
    private static final String COLUMNS = "id, number, config, checksum, outcome, error, trigger, reason, create_time, finish_time";
    private static final String LIST_COLUMNS = "id, number, '' AS config, checksum, outcome, error, trigger, reason,"
            + " create_time, finish_time";

    private final Transactions transactions;
    private final Leadership leadership;
    private final EventDocuments documents;
    private final ProxyEventFeed feed;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    JdbcRevisionRepository(Transactions transactions, Leadership leadership, EventDocuments documents, ProxyEventFeed feed,
                           Clock clock) {
        this.transactions = transactions;
        this.leadership = leadership;
        this.documents = documents;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    public Revision create(String config, String checksum, RevisionTrigger trigger, String reason) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Revision[] created = new Revision[1];
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            long rv = ResourceVersions.take(tx);
            for (Revision pending : select(tx, COLUMNS, "outcome = 'PENDING'", List.of(), Integer.MAX_VALUE)) {
                Revision superseded = finished(pending, RevisionOutcome.SUPERSEDED, "", now);
                write(tx, superseded);
                documents.revision(tx, rv, ProxyEvent.Type.MODIFIED, superseded, now);
                rv = ResourceVersions.take(tx);
            }
            long number;
            try (PreparedStatement ps = tx.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM config_revision");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getLong(1);
            }
            Revision revision = new Revision("rev-" + HexFormat.of().formatHex(bytes()), number, config, checksum,
                    RevisionOutcome.PENDING, "", trigger, reason, now, null);
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO config_revision (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, revision.id());
                ps.setLong(2, number);
                ps.setString(3, config);
                ps.setString(4, checksum);
                ps.setString(5, revision.outcome().name());
                ps.setString(6, "");
                ps.setString(7, trigger.name());
                ps.setString(8, reason);
                ps.setTimestamp(9, Timestamp.from(now));
                ps.setNull(10, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                ps.executeUpdate();
            }
            documents.revision(tx, rv, ProxyEvent.Type.ADDED, revision, now);
            created[0] = revision;
            return rv;
        });
        feed.catchUp(version);
        return created[0];
    }

    @Override
    public Revision finish(long number, RevisionOutcome outcome, String error) {
        if (!outcome.isFinal()) {
            throw new IllegalArgumentException("a revision finishes with a final outcome, not " + outcome);
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Revision[] done = new Revision[1];
        long version = transactions.write(status -> {
            Connection tx = status.getConnection();
            Fence.check(tx, leadership);
            long rv = ResourceVersions.take(tx);
            List<Revision> found = select(tx, COLUMNS, "number = ?", List.of(number), 1);
            if (found.isEmpty()) {
                throw new NotFoundException("revision", Long.toString(number));
            }
            done[0] = finished(found.get(0), outcome, error == null ? "" : error, now);
            write(tx, done[0]);
            documents.revision(tx, rv, ProxyEvent.Type.MODIFIED, done[0], now);
            return rv;
        });
        feed.catchUp(version);
        return done[0];
    }

    @Override
    public Optional<Revision> get(long number) {
        return transactions.read(status -> select(status.getConnection(), COLUMNS, "number = ?", List.of(number), 1))
                .stream().findFirst();
    }

    @Override
    public Optional<Revision> current() {
        return transactions.read(status -> select(status.getConnection(), COLUMNS, "outcome = 'APPLIED'", List.of(), 1))
                .stream().findFirst();
    }

    @Override
    public List<Revision> list(int limit, long beforeNumber, Set<RevisionOutcome> outcomes) {
        return transactions.read(status -> {
            Connection tx = status.getConnection();
            Object names = tx.createArrayOf("varchar", outcomes.stream().map(Enum::name).toArray());
            return select(tx, LIST_COLUMNS, "number < ? AND (cardinality(?::varchar[]) = 0 OR outcome = ANY (?::varchar[]))",
                    List.of(beforeNumber, names, names), limit);
        });
    }

    /** The latest committed resource version, for a list's answer. */
    long resourceVersion() {
        return transactions.read(status -> ResourceVersions.current(status.getConnection()));
    }

    private static Revision finished(Revision r, RevisionOutcome outcome, String error, Instant now) {
        return new Revision(r.id(), r.number(), r.config(), r.checksum(), outcome, error, r.trigger(), r.reason(),
                r.createTime(), now);
    }

    private static void write(Connection tx, Revision r) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(
                "UPDATE config_revision SET outcome = ?, error = ?, finish_time = ? WHERE number = ?")) {
            ps.setString(1, r.outcome().name());
            ps.setString(2, r.error());
            ps.setTimestamp(3, r.finishTime() == null ? null : Timestamp.from(r.finishTime()));
            ps.setLong(4, r.number());
            ps.executeUpdate();
        }
    }

    private static List<Revision> select(Connection tx, String columns, String where, List<Object> values, int limit)
            throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + columns + " FROM config_revision WHERE " + where
                + " ORDER BY number DESC LIMIT ?")) {
            int i = 1;
            for (Object value : values) {
                if (value instanceof java.sql.Array array) {
                    ps.setArray(i++, array);
                } else {
                    ps.setObject(i++, value);
                }
            }
            ps.setInt(i, limit);
            List<Revision> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp finish = rs.getTimestamp("finish_time");
                    found.add(new Revision(rs.getString("id"), rs.getLong("number"), rs.getString("config"),
                            rs.getString("checksum"), RevisionOutcome.valueOf(rs.getString("outcome")), rs.getString("error"),
                            RevisionTrigger.valueOf(rs.getString("trigger")), rs.getString("reason"),
                            rs.getTimestamp("create_time").toInstant(), finish == null ? null : finish.toInstant()));
                }
            }
            return found;
        }
    }

    private byte[] bytes() {
        byte[] bytes = new byte[5];
        random.nextBytes(bytes);
        return bytes;
    }
}
