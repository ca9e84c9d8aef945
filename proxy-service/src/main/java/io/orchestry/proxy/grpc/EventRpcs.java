package io.orchestry.proxy.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.v1.WatchProxyEventsRequest;
import io.orchestry.proxy.v1.WatchProxyEventsResponse;
import io.orchestry.watch.server.WatchHub;
import io.orchestry.watch.server.WatchStream;
import jakarta.inject.Singleton;

/** WatchProxyEvents: every route change, revision write and nginx state change after a resource version, in order. */
@Singleton
class EventRpcs {
    private final WatchHub<ProxyEvent> hub;

    EventRpcs(WatchHub<ProxyEvent> hub) {
        this.hub = hub;
    }

    void watch(WatchProxyEventsRequest request, StreamObserver<WatchProxyEventsResponse> response) {
        new WatchStream<ProxyEvent, WatchProxyEventsResponse>((ServerCallStreamObserver<WatchProxyEventsResponse>) response,
                event -> true, RevisionProtoMapper::toProto).start(hub, request.getResourceVersion());
    }
}
