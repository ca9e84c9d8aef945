package io.orchestry.provisioner.runtime.process;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.ShutdownEvent;
import io.orchestry.controlloop.Leadership;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.runtime.DriverFactory;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The driver for process nodes (endpoint {@code local}: this machine). With {@code stopOnExit}, the normal exit of the
 * provisioner that leads stops every workload its open drivers run, so nothing is left behind; a provisioner that does
 * not lead at exit (a standby that opened drivers for logs, exec or fingerprints, and so adopted the leader's workloads)
 * only releases them. After kill -9 they keep running and the next provisioner's driver adopts them.
 */
@Singleton
public class ProcessDriverFactory implements DriverFactory, AutoCloseable, ApplicationEventListener<ShutdownEvent> {
    public static final String LOCAL = "local";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessDriverFactory.class);

    private final ProcessConfig config;
    private final BooleanSupplier leads;
    private final Clock clock;
    private final Cgroups cgroups;
    /**
     * The latest driver of each node, closed or not: {@code Drivers} closes them all at shutdown before this factory
     * is destroyed, and what they run is still stopped here; a node's driver opened again replaces the old one.
     */
    private final Map<String, ProcessDriver> opened = new ConcurrentHashMap<>();
    private final PortPicks ports;
    /** Whether this provisioner led when the context's shutdown began (null before): asked then, before any bean
     * is destroyed, since the election itself is closed while beans are destroyed. */
    private volatile Boolean ledAtShutdown;

    @Inject
    public ProcessDriverFactory(ProcessConfig config, Leadership leadership) {
        this(config, leadership::isLeader, Clock.systemUTC());
    }

    /** @param leads whether this provisioner leads now (asked at exit) */
    public ProcessDriverFactory(ProcessConfig config, BooleanSupplier leads, Clock clock) {
        this.config = config;
        this.leads = leads;
        this.clock = clock;
        this.cgroups = Cgroups.detect(Path.of("/sys/fs/cgroup"), ownCgroups());
        this.ports = new PortPicks(this::heldPorts, clock);
    }

    private static List<String> ownCgroups() {
        try {
            return Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.US_ASCII);
        } catch (IOException none) {
            return List.of();
        }
    }

    private Set<Integer> heldPorts() {
        Set<Integer> held = new HashSet<>();
        opened.values().forEach(driver -> held.addAll(driver.heldPorts()));
        return held;
    }

    @Override
    public DriverKind kind() {
        return DriverKind.PROCESS;
    }

    @Override
    public RuntimeDriver open(NodeTarget node) {
        ProcessDriver driver = new ProcessDriver(config.forNode(node.name()), node, cgroups, ports,
                new ProcessBuilder().environment(), clock);
        opened.put(node.name(), driver);
        return driver;
    }

    /** How many drivers it keeps: one per node it was asked for. */
    int openDrivers() {
        return opened.size();
    }

    @Override
    public void onApplicationEvent(ShutdownEvent event) {
        ledAtShutdown = leads.getAsBoolean();
    }

    /** Stops what the open drivers run when configured to and this provisioner leads, then closes them. */
    @PreDestroy
    @Override
    public void close() {
        Boolean led = ledAtShutdown;
        boolean stop = config.stopOnExit() && (led != null ? led : leads.getAsBoolean());
        if (stop && !opened.isEmpty()) {
            LOG.info("process driver: stopping what it runs on {} node(s) on exit (stop-on-exit)", opened.size());
        }
        if (config.stopOnExit() && !stop && !opened.isEmpty()) {
            LOG.info("process driver: not the leader at exit, leaving the workloads running for the leader");
        }
        for (ProcessDriver driver : List.copyOf(opened.values())) {
            if (stop) {
                driver.stopAll(config.stopGrace());
            }
            driver.close();
        }
        opened.clear();
    }
}
