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
                assertFalse(second.isLeader());
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

    /** Bounded poll: the first round runs on the election's thread right after startup. */
    private static void awaitLeader(Leadership leadership) throws InterruptedException {
        for (int i = 0; i < 1500 && !leadership.isLeader(); i++) {
            Thread.sleep(10);
        }
        assertTrue(leadership.isLeader(), leadership.replica() + " leads");
    }
}
