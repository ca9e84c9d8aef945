package io.orchestry.proxy.apply;

import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.nginx.Nginx;
import io.orchestry.proxy.nginx.NginxException;
import io.orchestry.proxy.nginx.StateFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies a revision to nginx, one step after another, each with its own outcome: write
 * {@code <state>/revisions/<n>/nginx.conf}; {@code nginx -t} it (refused: REJECTED_BY_NGINX_TEST, nothing running is
 * touched); swap {@code <state>/current} (a symlink to the revision's folder; the master's {@code -c} is
 * {@code <state>/current/nginx.conf}) atomically; reload (failed: RELOAD_FAILED, the previous link put back and reloaded);
 * probe each changed route (failed: ROLLED_BACK, likewise). The old configuration serves until the new one is proven,
 * and again after a rollback. Keeps the newest {@value #KEPT} revision folders.
 */
public final class NginxApplier implements RevisionApplier {
    public static final int KEPT = 20;
    private static final Logger LOG = LoggerFactory.getLogger(NginxApplier.class);

    private final Nginx nginx;
    private final Path stateFolder;
    private final RouteProber prober;
    private final Runnable loaded;

    public NginxApplier(Nginx nginx, Path stateFolder, RouteProber prober) {
        this(nginx, stateFolder, prober, () -> { });
    }

    /**
     * @param loaded runs once nginx has loaded a configuration (started or reloaded) and before any probe: with the Lua
     *               balancer, pushing the upstream servers there, so a just-started nginx (an empty shared dict) or a
     *               new route's upstream has its servers before it is probed
     */
    public NginxApplier(Nginx nginx, Path stateFolder, RouteProber prober, Runnable loaded) {
        this.nginx = nginx;
        this.stateFolder = stateFolder;
        this.prober = prober;
        this.loaded = loaded;
    }

    /** What the master runs: {@code <state>/current/nginx.conf}. */
    public Path configPath() {
        return current().resolve("nginx.conf");
    }

    /** The folder of one revision, where its nginx.conf goes (and any file written for it before apply). */
    public Path revisionFolder(long number) {
        return stateFolder.resolve("revisions").resolve(Long.toString(number));
    }

    @Override
    public ApplyOutcome apply(Optional<Revision> previous, Revision next, List<RouteProbe> probes) {
        Path folder = revisionFolder(next.number());
        StateFolder.folder(stateFolder.resolve("logs")); // nginx -t opens the logs a configuration names there
        Path config = StateFolder.write(folder.resolve("nginx.conf"), next.config());
        StateFolder.folder(folder.getParent());
        Nginx.TestResult test = nginx.test(config);
        if (!test.ok()) {
            LOG.warn("revision {}: nginx -t refused it: {}", next.number(), test.output());
            return new ApplyOutcome(RevisionOutcome.REJECTED_BY_NGINX_TEST, test.output());
        }
        Optional<Path> restore = previous.map(this::restorable);
        swap(folder);
        try {
            load();
        } catch (NginxException e) {
            String restored = restore(restore);
            LOG.warn("revision {}: reload failed ({}); {}", next.number(), e.getMessage(), restored);
            return new ApplyOutcome(RevisionOutcome.RELOAD_FAILED, e.getMessage() + "; " + restored);
        }
        loaded.run();
        for (RouteProbe probe : probes) {
            Optional<String> failure = prober.check(probe);
            if (failure.isPresent()) {
                String restored = restore(restore);
                String why = "probe of route " + probe.routeId() + " failed: " + failure.get() + "; " + restored;
                LOG.warn("revision {}: {}", next.number(), why);
                return new ApplyOutcome(RevisionOutcome.ROLLED_BACK, why, probe.routeId());
            }
        }
        prune(next.number(), previous.map(Revision::number).orElse(-1L));
        return ApplyOutcome.applied();
    }

    private Path current() {
        return stateFolder.resolve("current");
    }

    /** Starts nginx on the current link when it is not running (the first apply, or after it died), else reloads it. */
    private void load() {
        if (nginx.state() == Nginx.State.RUNNING && nginx.pid() != 0) {
            nginx.reload();
        } else {
            nginx.start(configPath());
        }
    }

    /** The previous revision's folder, its nginx.conf written again if it was pruned or lost. */
    private Path restorable(Revision previous) {
        Path folder = revisionFolder(previous.number());
        Path config = folder.resolve("nginx.conf");
        if (!Files.isRegularFile(config)) {
            StateFolder.write(config, previous.config());
        }
        return folder;
    }

    private String restore(Optional<Path> previous) {
        if (previous.isEmpty()) {
            return "no previous revision to restore: this one stays loaded";
        }
        swap(previous.get());
        try {
            load();
            loaded.run();
            return "restored revision " + previous.get().getFileName();
        } catch (NginxException e) {
            return "restoring revision " + previous.get().getFileName() + " failed too: " + e.getMessage();
        }
    }

    /** Points {@code current} at the folder in one rename, so the master never reads half a change. */
    private void swap(Path folder) {
        Path link = current();
        Path temporary = stateFolder.resolve("current.next");
        try {
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, stateFolder.relativize(folder));
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot point " + link + " at " + folder, e);
        }
    }

    private void prune(long applied, long previous) {
        Path revisions = revisionFolder(0).getParent();
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(revisions)) {
            for (Path folder : folders) {
                try {
                    numbers.add(Long.parseLong(folder.getFileName().toString()));
                } catch (NumberFormatException notOurs) {
                    // leave what we did not make
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} to prune old revisions", revisions, e);
            return;
        }
        numbers.sort(Comparator.reverseOrder());
        for (long number : numbers.subList(Math.min(KEPT, numbers.size()), numbers.size())) {
            if (number != applied && number != previous) {
                deleteTree(revisionFolder(number));
            }
        }
    }

    private static void deleteTree(Path folder) {
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete the old revision folder {}", folder, e);
        }
    }
}
