package io.orchestry.controlloop;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Leader election on PostgreSQL: the leader is the replica whose session holds
 * {@code pg_try_advisory_lock(key)}. The lock lives exactly as long as the session, so a leader
 * that dies, is killed or loses its network loses the lock with it, with no lease to expire; and it
 * needs nothing the services do not have already. The session is a dedicated connection, never one
 * from the pool: a pooled connection is handed back, reset and reused, and would take the lock with
 * it.
 *
 * <p>Every {@code interval} a follower tries the lock (and reads who leads), and the leader checks,
 * under a short network timeout, that its session holds the lock and the row still has its epoch:
 * a failure or a mismatch means the lock may be gone,
 * so the leader counts itself deposed at once (listeners told, gated loops stopped), drops the
 * connection, and contends again on a new one. On each acquisition the row
 * {@code leader_epoch(name)} gets epoch + 1 and the holder, for {@link Fence} and for reporting.
 * {@link #close()} stops the loops first and then unlocks, so that another replica takes over
 * within its next interval instead of waiting for the session to die.
 *
 * <p>The loop itself runs on {@link Controller#periodic}, one thread named
 * {@code leader-election-<name>}.
 */
public final class PostgresLeaderElection implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaderElection.class);
    static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS leader_epoch (
                name text PRIMARY KEY,
                epoch bigint NOT NULL,
                holder text NOT NULL,
                acquired_at timestamptz NOT NULL)""";
    private static final String ACQUIRE = """
            INSERT INTO leader_epoch (name, epoch, holder, acquired_at) VALUES (?, 1, ?, now())
            ON CONFLICT (name) DO UPDATE
            SET epoch = leader_epoch.epoch + 1, holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at
            RETURNING epoch, acquired_at""";
    /** The row, and whether any session holds the lock now (a dead leader's row is no leader). */
    private static final String READ_LEADER = """
            SELECT e.holder, e.epoch, e.acquired_at,
                   EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND l.classid = (?::bigint)::oid AND l.objid = (?::bigint)::oid) AS held
            FROM leader_epoch e WHERE e.name = ?""";

    /**
     * The leader's check, one round trip: this session still holds the lock, and the row still
     * has the epoch this replica acquired (no one else acquired since, whatever happened to locks).
     */
    private static final String VALIDATE = """
            SELECT EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid = pg_backend_pid()
                             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND l.classid = (?::bigint)::oid AND l.objid = (?::bigint)::oid) AS locked,
                   EXISTS (SELECT 1 FROM leader_epoch e WHERE e.name = ? AND e.epoch = ? AND e.holder = ?) AS ours""";

    private final String name;
    private final String url;
    private final Properties connectionProperties;
    private final String schema;
    private final Duration timeout;
    /** How long the server keeps a silent session (a partitioned or paused replica's) and its lock. */
    private final Duration deadSession;
    private final String replica;
    private final Controller<String> loop;
    private final LeadershipListeners listeners = new LeadershipListeners();

    /** Touched by the loop's one thread only (and by {@link #close()} after the loop stopped). */
    private Connection connection;
    private long lockKey;
    private boolean failing;
    private volatile State state = State.UNKNOWN;
    /** The schema the session resolved ({@code current_schema()}), once connected. */
    private volatile String resolvedSchema;

    private record State(boolean leading, long epoch, String leaderReplica, Instant acquiredAt) {
        static final State UNKNOWN = new State(false, 0, null, null);
    }

    /**
     * @param schema   the schema the service's pool uses ({@code datasources.default.schema}), or
     *                 null for the URL's default; the table lives there and the lock key names it
     * @param interval how often to contend (follower) or validate (leader)
     * @param timeout  how long a validation may take before the connection counts as lost
     */
    public PostgresLeaderElection(String name, String url, String username, @Nullable String password,
                                  @Nullable String schema, Duration interval, Duration timeout, String replica,
                                  @Nullable MeterRegistry meterRegistry) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.schema = schema;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        Duration round = interval.plus(timeout);
        Duration threeRounds = round.multipliedBy(3);
        this.deadSession = threeRounds.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : threeRounds;
        this.replica = Objects.requireNonNull(replica, "replica");
        this.connectionProperties = new Properties();
        connectionProperties.setProperty("user", Objects.requireNonNull(username, "username"));
        if (password != null) {
            connectionProperties.setProperty("password", password);
        }
        // a new session may take longer than a query on a busy machine; a slow connect only delays contending
        long connectSeconds = Math.max(5, (timeout.toMillis() + 999) / 1000);
        connectionProperties.setProperty("connectTimeout", Long.toString(connectSeconds));
        connectionProperties.setProperty("loginTimeout", Long.toString(connectSeconds));
        connectionProperties.setProperty("ApplicationName", "orchestry leader election " + name + " " + replica);
        connectionProperties.setProperty("tcpKeepAlive", "true");
        this.loop = Controller.periodic("leader-election-" + name, interval, this::tick, Clock.systemUTC(), meterRegistry);
    }

    /**
     * Runs the first round on the caller (at startup, once the datasource is up; bounded by the
     * connect and network timeouts), then the loop: a replica that starts alone leads by the time
     * its startup ends, and one that starts next to a leader knows who leads.
     */
    @Override
    public void start() {
        if (loop.isRunning()) {
            return;
        }
        loop.processNext(); // the loop's thread is not started yet: tick's state is still single-threaded
        loop.start();
    }

    /** Stops the loop, tells the listeners (so gated loops stop), then unlocks and closes the session. */
    @Override
    public void close() {
        loop.stop();
        boolean wasLeading = state.leading();
        state = State.UNKNOWN;
        listeners.deposed();
        if (connection != null) {
            try (Statement statement = connection.createStatement()) {
                if (wasLeading) {
                    statement.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
                    LOG.info("leader election {}: {} gave up the leadership", name, replica);
                }
            } catch (SQLException e) {
                LOG.debug("leader election {}: unlock failed, the session's end releases the lock", name, e);
            }
            closeQuietly();
        }
    }

    /** One round: connect if needed, then validate (leader) or contend (follower). */
    void tick() {
        try {
            if (connection == null) {
                connect();
            }
            if (state.leading()) {
                validate();
            } else {
                contend();
            }
            if (failing) {
                failing = false;
                LOG.info("leader election {}: the database answers again", name);
            }
        } catch (SQLException | RuntimeException e) {
            lost(e);
        }
    }

    private void connect() throws SQLException {
        Connection opened = DriverManager.getConnection(url, connectionProperties);
        try {
            opened.setAutoCommit(true);
            opened.setNetworkTimeout(Runnable::run, (int) Math.max(1, timeout.toMillis()));
            limitSession(opened);
            if (schema != null) {
                opened.setSchema(schema);
            }
            String current;
            try (Statement statement = opened.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT current_schema()")) {
                rows.next();
                current = rows.getString(1);
            }
            if (current == null) {
                throw new SQLException("schema " + schema + " does not exist yet", "3F000");
            }
            lockKey = ElectionKey.of(current, name);
            resolvedSchema = current;
            connection = opened;
        } catch (SQLException | RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Makes the server drop this session (and so the lock) within seconds once this replica goes
     * silent: a partitioned or paused (SIGSTOP, a long GC) leader would otherwise keep it until the
     * server's TCP keepalive notices, about two hours. A healthy session is never idle that long
     * (a round every interval). {@code lock_timeout} just under {@link #timeout}: an acquisition
     * waiting on a fenced write's row lock fails and rolls back on the server, instead of
     * committing epoch + 1 for a client that gave up at its network timeout.
     */
    private void limitSession(Connection opened) throws SQLException {
        long deadMillis = deadSession.toMillis();
        long keepaliveSeconds = Math.max(1, (deadMillis / 3 + 999) / 1000);
        long lockMillis = Math.max(1, timeout.toMillis() - Math.max(1, timeout.toMillis() / 10));
        int major = opened.getMetaData().getDatabaseMajorVersion();
        try (Statement statement = opened.createStatement()) {
            statement.execute("SET lock_timeout = " + lockMillis);
            statement.execute("SET tcp_keepalives_idle = " + keepaliveSeconds);
            statement.execute("SET tcp_keepalives_interval = " + keepaliveSeconds);
            statement.execute("SET tcp_keepalives_count = 2");
            if (major >= 12) {
                statement.execute("SET tcp_user_timeout = " + deadMillis);
            }
            if (major >= 14) {
                statement.execute("SET idle_session_timeout = " + deadMillis);
            } else {
                LOG.debug("leader election {}: PostgreSQL {} has no idle_session_timeout, a paused leader's session "
                        + "lasts until TCP keepalive drops it", name, major);
            }
        }
    }

    private void contend() throws SQLException {
        boolean locked;
        try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            tryLock.setLong(1, lockKey);
            try (ResultSet rows = tryLock.executeQuery()) {
                rows.next();
                locked = rows.getBoolean(1);
            }
        }
        if (!locked) {
            readLeader();
            return;
        }
        createTable();
        try (PreparedStatement acquire = connection.prepareStatement(ACQUIRE)) {
            acquire.setString(1, name);
            acquire.setString(2, replica);
            try (ResultSet rows = acquire.executeQuery()) {
                rows.next();
                long epoch = rows.getLong(1);
                Instant at = rows.getTimestamp(2).toInstant();
                state = new State(true, epoch, replica, at);
                LOG.info("leader election {}: {} leads with epoch {}", name, replica, epoch);
                listeners.elected(epoch);
            }
        }
    }

    /**
     * Only a lock holder creates the table, but the holders of two elections in one schema may do
     * it at once, and two CREATE TABLE IF NOT EXISTS can collide in the catalog: the loser's
     * unique violation means the table is there.
     */
    private void createTable() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_TABLE);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private void validate() throws SQLException {
        long held = state.epoch();
        try (PreparedStatement query = connection.prepareStatement(VALIDATE)) {
            query.setLong(1, ElectionKey.classId(lockKey));
            query.setLong(2, ElectionKey.objId(lockKey));
            query.setString(3, name);
            query.setLong(4, held);
            query.setString(5, replica);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                boolean locked = rows.getBoolean(1);
                boolean ours = rows.getBoolean(2);
                if (!locked || !ours) {
                    // lost() drops the session, so a lock still held goes with it, and contends again
                    throw new IllegalStateException(!locked ? "this session no longer holds the lock"
                            : "leader_epoch is no longer at epoch " + held + " held by " + replica);
                }
            }
        }
    }

    private void readLeader() throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(READ_LEADER)) {
            query.setLong(1, ElectionKey.classId(lockKey));
            query.setLong(2, ElectionKey.objId(lockKey));
            query.setString(3, name);
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    Timestamp at = rows.getTimestamp(3);
                    boolean held = rows.getBoolean(4);
                    state = new State(false, rows.getLong(2), held ? rows.getString(1) : null, at == null ? null : at.toInstant());
                } else {
                    state = State.UNKNOWN;
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                state = State.UNKNOWN; // no one was ever elected here: the table comes with the first leader
                return;
            }
            throw e;
        }
    }

    private void lost(Exception cause) {
        boolean wasLeading = state.leading();
        state = State.UNKNOWN;
        if (connection != null) {
            try {
                connection.abort(Runnable::run); // do not wait on a connection that may hang
            } catch (SQLException | RuntimeException e) {
                LOG.debug("leader election {}: abort failed", name, e);
            }
            connection = null;
        }
        if (wasLeading) {
            LOG.warn("leader election {}: {} is deposed (its check failed or its lock or epoch is gone): {}", name, replica, cause.toString());
            listeners.deposed();
        } else if (!failing) {
            LOG.warn("leader election {}: cannot contend, the database does not answer: {}", name, cause.toString());
        } else {
            LOG.debug("leader election {}: still cannot contend", name, cause);
        }
        failing = true;
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("leader election {}: close failed", name, e);
        }
        connection = null;
    }

    @Override
    public boolean electionEnabled() {
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLeader() {
        return state.leading();
    }

    @Override
    public long epoch() {
        return state.epoch();
    }

    @Override
    public long heldEpoch() {
        State now = state;
        return now.leading() ? now.epoch() : 0;
    }

    @Override
    public Snapshot snapshot() {
        State now = state; // one read: the fields belong together
        return new Snapshot(true, now.leading(), now.epoch(), now.leaderReplica(), now.acquiredAt());
    }

    @Override
    public Optional<String> leaderReplica() {
        return Optional.ofNullable(state.leaderReplica());
    }

    @Override
    public Optional<Instant> acquiredAt() {
        return Optional.ofNullable(state.acquiredAt());
    }

    @Override
    public Optional<String> schema() {
        return Optional.ofNullable(resolvedSchema != null ? resolvedSchema : schema);
    }

    @Override
    public String replica() {
        return replica;
    }

    @Override
    public void addListener(LeadershipListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(LeadershipListener listener) {
        listeners.remove(listener);
    }
}
