package io.orchestry.proxy.apply;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The routes whose rendered part differs between what nginx runs and a new model: added, or changed (the route, its
 * certificate files, or — without Lua, where they are in the file — its upstream's endpoints). Only those are probed.
 */
final class ChangedRoutes {
    private ChangedRoutes() {
    }

    /** @param running null: nothing applied yet, every route is new */
    static List<RoutePlan> between(@Nullable ProxyModel running, ProxyModel next) {
        if (running == null || !running.settings().equals(next.settings())) {
            return next.routes();
        }
        boolean lua = next.settings().lua();
        Map<String, RoutePlan> before = running.routes().stream()
                .collect(Collectors.toMap(plan -> plan.route().id(), Function.identity(), (a, b) -> a));
        return next.routes().stream().filter(plan -> {
            RoutePlan old = before.get(plan.route().id());
            return old == null || !sameRendering(old, plan, lua);
        }).toList();
    }

    private static boolean sameRendering(RoutePlan old, RoutePlan next, boolean lua) {
        return old.route().equals(next.route())
                && Objects.equals(old.certificateFile(), next.certificateFile())
                && Objects.equals(old.keyFile(), next.keyFile())
                && (lua || old.endpoints().equals(next.endpoints()));
    }
}
