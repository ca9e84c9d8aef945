package io.orchestry.controlloop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A replica in a JVM of its own, for {@link PostgresLeaderElectionTest}'s {@code kill -9}: contends
 * and prints {@code ELECTED <epoch>} when it leads, then runs until it is killed.
 * Arguments: url user password schema name intervalMillis replica.
 */
public final class LeaderProcess {
    private LeaderProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        PostgresLeaderElection election = new PostgresLeaderElection(args[4], args[0], args[1], args[2], args[3],
                Duration.ofMillis(Long.parseLong(args[5])), Duration.ofSeconds(1), args[6], null);
        election.addListener(new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                System.out.println("ELECTED " + epoch);
                System.out.flush();
            }

            @Override
            public void deposed() {
                System.out.println("DEPOSED");
                System.out.flush();
            }
        });
        election.start();
        new CountDownLatch(1).await();
    }
}
