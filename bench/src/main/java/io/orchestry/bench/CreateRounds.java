package io.orchestry.bench;

import io.orchestry.provisioner.v1.DatabaseCredentials;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Create → accepting connections on one driver, against a server started by hand the same way, alternating which goes
 * first from round to round. Orchestry: from CreateDatabase on the node until a JDBC login with the credentials of
 * GetDatabaseCredentials succeeds (polled every 10 ms), then until GetDatabase says READY; the database is deleted
 * after its round (until NOT_FOUND, outside the timing). The baseline: from the first command until a login succeeds,
 * polled the same way; it is removed after its round.
 */
final class CreateRounds {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A server started by hand: where to log in, and how to remove it. */
    interface BareServer extends AutoCloseable {
        String host();

        int port();

        String database();

        String user();

        @Override
        void close();
    }

    /** Starts one bare server for a round with the given password; returns once its start command returned. */
    interface BareStart {
        BareServer start(int round, String password) throws Exception;
    }

    private final DatabaseCalls calls;
    private final String project;
    private final String node;
    private final long memoryBytes;
    private final long cpuMillis;

    CreateRounds(DatabaseCalls calls, String project, String node, long memoryBytes, long cpuMillis) {
        this.calls = calls;
        this.project = project;
        this.node = node;
        this.memoryBytes = memoryBytes;
        this.cpuMillis = cpuMillis;
    }

    /** Runs the rounds, printing each; the create → login comparison (with the target), and Orchestry's create → READY. */
    List<Comparison> run(int rounds, String baselineName, double targetSeconds, BareStart bare) throws Exception {
        Comparison login = new Comparison(node + " node: create -> login", baselineName + " -> login", targetSeconds);
        Comparison ready = new Comparison(node + " node: create -> GetDatabase READY", baselineName + " -> login", Double.NaN);
        List<Double> deletes = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean bareFirst = round % 2 == 1;
            double bareSeconds = bareFirst ? bare(bare, round) : 0;
            double[] orchestry = orchestry();
            if (!bareFirst) {
                bareSeconds = bare(bare, round);
            }
            long deleting = System.nanoTime();
            calls.delete(project);
            deletes.add(seconds(deleting));
            login.bare(bareSeconds);
            ready.bare(bareSeconds);
            login.orchestry(orchestry[0]);
            ready.orchestry(orchestry[1]);
            System.out.printf(Locale.ROOT, "  round %d (%s first)  %s -> login %.3f s | Orchestry create -> login %.3f s, -> READY %.3f s;"
                    + " delete -> NOT_FOUND %.3f s%n", round, round % 2 == 1 ? "bare" : "Orchestry", baselineName, bareSeconds,
                    orchestry[0], orchestry[1], deletes.get(deletes.size() - 1));
        }
        System.out.printf(Locale.ROOT, "  DeleteDatabase -> NOT_FOUND median %.3f s%n", Latencies.median(deletes));
        return List.of(login, ready);
    }

    private double bare(BareStart bare, int round) throws Exception {
        String password = password();
        long began = System.nanoTime();
        try (BareServer server = bare.start(round, password)) {
            DatabaseCalls.awaitLogin(server.host(), server.port(), server.database(), server.user(), password);
            return seconds(began);
        }
    }

    /** Seconds from CreateDatabase to the first login, and to READY. */
    private double[] orchestry() throws InterruptedException {
        long began = System.nanoTime();
        calls.create(project, node, memoryBytes, cpuMillis);
        DatabaseCredentials credentials = calls.credentials(project);
        calls.awaitLogin(project, credentials);
        double login = seconds(began);
        calls.awaitReady(project);
        return new double[] {login, seconds(began)};
    }

    static String password() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
