package io.orchestry.proxy.fakes;

import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteChangeListener;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the route change listeners hear (the apply loop is one in the service). */
@Singleton
public class RecordingRouteListener implements RouteChangeListener {
    public final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void routeChanged(Route route, ProxyEvent.Type type, String reason) {
        heard.add(type + " " + reason);
    }
}
