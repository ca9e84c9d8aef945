package io.orchestry.proxy.domain;

import io.orchestry.paging.Page;

/** One page of routes and the resource version to watch from after it. */
public record RoutePage(Page<Route> page, long resourceVersion) {
}
