package io.orchestry.provisioner.domain;

import io.orchestry.paging.Page;

/** A page of instances and the resource version to watch from to see every change after it. */
public record InstancePage(Page<Instance> page, long resourceVersion) {
}
