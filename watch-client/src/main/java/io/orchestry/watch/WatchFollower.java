package io.orchestry.watch;

import io.grpc.Status;
import io.orchestry.controlloop.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The list-then-watch state machine, one {@link #step()} at a time on one thread (the client's
 * loop): deliver what the open stream buffered; when it ended, decide between watching again from
 * the last version seen and listing again, after a backoff; list; open the next stream. It never
 * sleeps: a step says when it wants to run again, and the transport wakes it when events arrive.
 */
final class WatchFollower<T> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchFollower.class);

    private final String name;
    private final Lister<T> lister;
    private final Watcher<T> watcher;
    private final WatchListener<T> listener;
    private final Backoff backoff;
    private final Duration healthyAfter;
    private final Clock clock;
    private final int capacity;
    private final WatchMetrics metrics;
    private final Runnable wake;

    // the loop's own state
    private boolean listNeeded = true;
    private long resourceVersion;
    private int failures;
    private Instant retryAt;
    private volatile Stream current;
    private volatile boolean stopped;

    WatchFollower(String name, Lister<T> lister, Watcher<T> watcher, WatchListener<T> listener, Backoff backoff,
                  Duration healthyAfter, Clock clock, int capacity, WatchMetrics metrics, Runnable wake) {
        this.name = name;
        this.lister = lister;
        this.watcher = watcher;
        this.listener = listener;
        this.backoff = backoff;
        this.healthyAfter = healthyAfter;
        this.clock = clock;
        this.capacity = capacity;
        this.metrics = metrics;
        this.wake = wake;
    }

    /**
     * Does what is due now. Returns when to run again: {@code null} when only the transport can
     * bring more work (it wakes the loop), a duration to wait out a backoff.
     */
    Duration step() {
        if (stopped) {
            return null;
        }
        Stream stream = current;
        if (stream != null) {
            return follow(stream);
        }
        Instant now = clock.instant();
        if (retryAt != null && now.isBefore(retryAt)) {
            return Duration.between(now, retryAt);
        }
        retryAt = null;
        if (listNeeded) {
            Snapshot<T> snapshot;
            try {
                snapshot = listAll();
            } catch (Exception e) {
                return retryLater("listing failed: " + describe(e), true);
            }
            try {
                listener.snapshot(snapshot);
            } catch (RuntimeException e) {
                return retryLater("the listener failed on the snapshot at " + snapshot.resourceVersion() + ": " + e, true);
            }
            resourceVersion = snapshot.resourceVersion();
            listNeeded = false;
            metrics.listed();
        }
        Stream next = new Stream(now);
        try {
            next.call = watcher.open(resourceVersion, next);
        } catch (RuntimeException e) {
            return retryLater("opening the watch failed: " + describe(e), false);
        }
        current = next;
        if (stopped) {
            next.call.cancel();
        }
        return null;
    }

    private Duration follow(Stream stream) {
        // read before draining: every event the stream sent before it ended is then in the buffer
        boolean ended = stream.ended;
        if (stream.overflowed) {
            stream.call.cancel();
            stream.events.clear();
            current = null;
            return retryLater("more than " + capacity + " events waiting for the listener", true);
        }
        WatchEvent<T> event;
        while ((event = stream.events.poll()) != null) {
            if (event.resourceVersion() <= resourceVersion) {
                continue; // already delivered: a source that replays the version it was asked for
            }
            try {
                listener.event(event);
            } catch (RuntimeException e) {
                stream.call.cancel();
                current = null;
                return retryLater("the listener failed on an event at " + event.resourceVersion() + ": " + e, true);
            }
            resourceVersion = event.resourceVersion();
        }
        if (!ended) {
            return null;
        }
        current = null;
        if (!Duration.between(stream.openedAt, clock.instant()).minus(healthyAfter).isNegative()) {
            failures = 0; // it followed for a healthy while: this break is the first in a row
        }
        Throwable failure = stream.failure;
        boolean relist = failure != null && relists(Status.fromThrowable(failure).getCode());
        return retryLater(failure == null ? "the stream ended" : "the stream failed: " + describe(failure), relist);
    }

    /**
     * Whether a watch that ended with {@code code} must list again: OUT_OF_RANGE is the one status
     * for "resource version too old" in every v1 contract.
     */
    static boolean relists(Status.Code code) {
        return code == Status.Code.OUT_OF_RANGE;
    }

    private Duration retryLater(String why, boolean relist) {
        if (relist) {
            listNeeded = true;
        } else {
            metrics.resumed();
        }
        failures++;
        Duration delay = backoff.delay(failures);
        retryAt = clock.instant().plus(delay);
        LOG.info("watch {}: {}; {} in {} ms", name, why, listNeeded ? "listing again" : "watching again from " + resourceVersion,
                delay.toMillis());
        return delay;
    }

    private Snapshot<T> listAll() throws Exception {
        List<T> items = new ArrayList<>();
        String token = "";
        long version = Long.MAX_VALUE;
        while (true) {
            ListPage<T> page = lister.list(token);
            items.addAll(page.items());
            // the oldest page's version: watching from it may replay a change a later page already shows, never skip one
            version = Math.min(version, page.resourceVersion());
            if (page.last()) {
                return new Snapshot<>(items, version);
            }
            token = page.nextPageToken();
        }
    }

    private static String describe(Throwable failure) {
        return failure instanceof io.grpc.StatusRuntimeException || failure instanceof io.grpc.StatusException
                ? Status.fromThrowable(failure).toString() : failure.toString();
    }

    /** Ends the stream; later steps do nothing. */
    void stop() {
        stopped = true;
        Stream stream = current;
        if (stream != null && stream.call != null) {
            stream.call.cancel();
        }
    }

    boolean following() {
        Stream stream = current;
        return stream != null && !stream.ended;
    }

    /** The version of the last snapshot or event delivered. */
    long resourceVersion() {
        return resourceVersion;
    }

    /** Events buffered now for the listener. */
    int buffered() {
        Stream stream = current;
        return stream == null ? 0 : stream.events.size();
    }

    /** One watch stream: filled on the transport's thread, drained by {@link #step()}. */
    private final class Stream implements WatchObserver<T> {
        final ArrayBlockingQueue<WatchEvent<T>> events = new ArrayBlockingQueue<>(capacity);
        final Instant openedAt;
        volatile WatchCall call;
        volatile boolean ended;
        volatile boolean overflowed;
        volatile Throwable failure;

        Stream(Instant openedAt) {
            this.openedAt = openedAt;
        }

        @Override
        public boolean onEvent(WatchEvent<T> event) {
            if (ended) {
                return false;
            }
            if (!events.offer(event)) {
                overflowed = true; // the listener is too slow: drop it all, list again
                ended = true;
                metrics.overflowed();
                wake.run();
                return false;
            }
            metrics.received(events.size());
            wake.run();
            return true;
        }

        @Override
        public void onError(Throwable failure) {
            if (!ended) {
                this.failure = failure;
                ended = true;
            }
            wake.run();
        }

        @Override
        public void onCompleted() {
            ended = true;
            wake.run();
        }
    }
}
