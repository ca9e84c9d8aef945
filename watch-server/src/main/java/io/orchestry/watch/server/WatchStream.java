package io.orchestry.watch.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.ResourceExhaustedException;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One watch call: replays what the watcher missed, then follows, sending the changes it asked for. A watcher that stops
 * reading is dropped once too much is queued for it (RESOURCE_EXHAUSTED: it lists and watches again), so it never slows
 * the others or fills the server's memory.
 */
public final class WatchStream<C extends Versioned, R> {
    /** Messages that may wait for a watcher that does not read before it is dropped. */
    public static final int MAX_QUEUED = 4096;

    private final ServerCallStreamObserver<R> response;
    private final Predicate<C> wanted;
    private final Function<C, R> message;
    private AutoCloseable subscription;
    private int queuedWhileNotReady;
    private boolean closed;

    public WatchStream(ServerCallStreamObserver<R> response, Predicate<C> wanted, Function<C, R> message) {
        this.response = response;
        this.wanted = wanted;
        this.message = message;
    }

    /** Subscribes from {@code resourceVersion}; OUT_OF_RANGE (thrown) when that is older than the hub keeps. */
    public void start(WatchHub<C> hub, long resourceVersion) {
        response.setOnCancelHandler(this::unsubscribe);
        AutoCloseable handle = hub.watch(resourceVersion, this::send);
        synchronized (this) {
            subscription = handle;
            if (closed) {
                unsubscribe();
            }
        }
    }

    private synchronized void send(C change) {
        if (closed || !wanted.test(change)) {
            return;
        }
        if (!response.isReady() && ++queuedWhileNotReady > MAX_QUEUED) {
            closed = true;
            response.onError(GrpcStatuses.toStatusRuntimeException(ResourceExhaustedException.capacity(
                    "watcher too slow: list again and watch from the list's resource version")));
            unsubscribe();
            return;
        }
        if (response.isReady()) {
            queuedWhileNotReady = 0;
        }
        response.onNext(message.apply(change));
    }

    private synchronized void unsubscribe() {
        closed = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing a listener does not fail
            }
            subscription = null;
        }
    }
}
