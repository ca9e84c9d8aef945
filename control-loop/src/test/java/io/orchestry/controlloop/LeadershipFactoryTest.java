package io.orchestry.controlloop;

import io.micronaut.context.ApplicationContext;
import io.orchestry.database.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Micronaut wiring: which Leadership a service gets, started at startup and released at shutdown. */
class LeadershipFactoryTest {

    @Test
    void withADatasource_electsOnPostgres_andReleasesAtShutdown() throws InterruptedException {
        Map<String, Object> properties = new HashMap<>(EmbeddedDatabase.shared().datasourceProperties("election_factory"));
        properties.put("micronaut.application.name", "factory-service");
        properties.put("orchestry.election.interval", "200ms");
        Leadership second;
        try (ApplicationContext first = ApplicationContext.run(properties)) {
            Leadership leadership = first.getBean(Leadership.class);
            assertInstanceOf(PostgresLeaderElection.class, leadership);
            assertEquals("factory-service", leadership.name());
            awaitLeader(leadership);
            assertTrue(leadership.epoch() >= 1);

            ApplicationContext other = ApplicationContext.run(properties);
            try {
                second = other.getBean(Leadership.class);
                awaitLeaderKnown(second); // it has contended (and lost): not just not started yet
                assertFalse(second.isLeader());
                assertEquals(java.util.Optional.of(leadership.replica()), second.leaderReplica());
                first.close(); // shutdown gives up the lock: the other replica takes over at once
                awaitLeader(second);
            } finally {
                other.close();
            }
        }
    }

    @Test
    void electionOff_isSoloLeadership() {
        Map<String, Object> properties = new HashMap<>(EmbeddedDatabase.shared().datasourceProperties("election_off"));
        properties.put("micronaut.application.name", "solo-service");
        properties.put("orchestry.election.enabled", "false");
        try (ApplicationContext context = ApplicationContext.run(properties)) {
            Leadership leadership = context.getBean(Leadership.class);
            assertInstanceOf(SoloLeadership.class, leadership);
            assertFalse(leadership.electionEnabled());
            assertTrue(leadership.isLeader());
            assertEquals(0, leadership.epoch());
        }
    }

    @Test
    void noDatasource_isSoloLeadership() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.application.name", "bare-service"))) {
            assertInstanceOf(SoloLeadership.class, context.getBean(Leadership.class));
        }
    }

    /** Bounded poll (the first round runs as the context starts, so it is known at once). */
    private static void awaitLeaderKnown(Leadership leadership) throws InterruptedException {
        for (int i = 0; i < 1500 && leadership.leaderReplica().isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertTrue(leadership.leaderReplica().isPresent(), leadership.replica() + " knows who leads");
    }

    /** Bounded poll: after a handover the new leader takes over on its election's thread. */
    private static void awaitLeader(Leadership leadership) throws InterruptedException {
        for (int i = 0; i < 1500 && !leadership.isLeader(); i++) {
            Thread.sleep(10);
        }
        assertTrue(leadership.isLeader(), leadership.replica() + " leads");
    }
}
