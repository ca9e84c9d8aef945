package io.orchestry.watch;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * Adapters from grpc-java stubs to a {@link Lister} and a {@link Watcher}, e.g. for
 * {@code RegistryService}:
 * <pre>{@code
 * Lister<Node> list = GrpcWatch.lister(
 *         token -> blocking.withDeadlineAfter(5, SECONDS).listNodes(ListNodesRequest.newBuilder().setPageToken(token).build()),
 *         ListNodesResponse::getNodesList, ListNodesResponse::getNextPageToken, ListNodesResponse::getResourceVersion);
 * Watcher<Node> watch = GrpcWatch.watcher(async::watchNodes,
 *         version -> WatchNodesRequest.newBuilder().setResourceVersion(version).build(),
 *         change -> new WatchEvent<>(type(change.getType()), change.getNode(), change.getResourceVersion()));
 * }</pre>
 * The watch uses gRPC's manual flow control: the transport holds at most {@code prefetch}
 * messages the client has not taken, and after the client cancels it sends nothing more.
 */
public final class GrpcWatch {
    /** Messages asked for ahead of the client's buffer. */
    public static final int DEFAULT_PREFETCH = 16;

    private GrpcWatch() {
    }

    /** A lister over a blocking unary list call that takes a page token. */
    public static <R, T> Lister<T> lister(Function<String, R> call, Function<R, List<? extends T>> items,
                                          Function<R, String> nextPageToken, ToLongFunction<R> resourceVersion) {
        return token -> {
            R response = call.apply(token);
            return new ListPage<>(List.copyOf(items.apply(response)), nextPageToken.apply(response),
                    resourceVersion.applyAsLong(response));
        };
    }

    /** A watcher over an async stub's server-streaming call, with {@link #DEFAULT_PREFETCH}. */
    public static <Q, R, T> Watcher<T> watcher(BiConsumer<Q, StreamObserver<R>> call, LongFunction<Q> request,
                                               Function<R, WatchEvent<T>> event) {
        return watcher(call, request, event, DEFAULT_PREFETCH);
    }

    /**
     * A watcher over an async stub's server-streaming call ({@code stub::watchNodes}).
     *
     * @param request  the request that watches from a resource version
     * @param event    the event a response message stands for
     * @param prefetch messages the transport may deliver ahead (at least 1)
     */
    public static <Q, R, T> Watcher<T> watcher(BiConsumer<Q, StreamObserver<R>> call, LongFunction<Q> request,
                                               Function<R, WatchEvent<T>> event, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        return (version, observer) -> {
            Stream<Q, R, T> stream = new Stream<>(observer, event, prefetch);
            call.accept(request.apply(version), stream);
            return stream;
        };
    }

    private static final class Stream<Q, R, T> implements ClientResponseObserver<Q, R>, WatchCall {
        private final WatchObserver<T> observer;
        private final Function<R, WatchEvent<T>> event;
        private final int prefetch;
        private volatile ClientCallStreamObserver<Q> call;
        private volatile boolean cancelled;

        Stream(WatchObserver<T> observer, Function<R, WatchEvent<T>> event, int prefetch) {
            this.observer = observer;
            this.event = event;
            this.prefetch = prefetch;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(prefetch);
        }

        @Override
        public void onNext(R message) {
            if (cancelled) {
                return;
            }
            if (observer.onEvent(event.apply(message))) {
                call.request(1);
            } else {
                cancel();
            }
        }

        @Override
        public void onError(Throwable failure) {
            observer.onError(failure);
        }

        @Override
        public void onCompleted() {
            observer.onCompleted();
        }

        @Override
        public void cancel() {
            cancelled = true;
            ClientCallStreamObserver<Q> current = call;
            if (current != null) {
                current.cancel("watch no longer wanted", null);
            }
        }
    }
}
