package io.orchestry.registry.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.orchestry.error.GrpcStatuses;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodeWatchHub;
import io.orchestry.registry.v1.WatchNodesResponse;

/**
 * One {@code WatchNodes} call: replays what the watcher missed, then follows. A watcher that
 * stops reading is dropped once too much is queued for it (it lists and watches again), so it
 * never slows the others or fills the server's memory.
 */
final class NodeWatchStream {
    /** Messages that may wait for a watcher that does not read before it is dropped. */
    static final int MAX_QUEUED = 4096;

    private final ServerCallStreamObserver<WatchNodesResponse> response;
    private AutoCloseable subscription;
    private int queuedWhileNotReady;
    private boolean closed;

    NodeWatchStream(ServerCallStreamObserver<WatchNodesResponse> response) {
        this.response = response;
    }

    void start(NodeWatchHub hub, long resourceVersion) {
        response.setOnCancelHandler(this::unsubscribe);
        AutoCloseable handle = hub.watch(resourceVersion, this::send);
        synchronized (this) {
            subscription = handle;
            if (closed) {
                unsubscribe();
            }
        }
    }

    private synchronized void send(NodeChange change) {
        if (closed) {
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
        response.onNext(NodeProtoMapper.toProto(change));
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
