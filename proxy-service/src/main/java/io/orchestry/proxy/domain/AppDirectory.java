package io.orchestry.proxy.domain;

import java.util.Optional;

/** Looks an app up on the provisioner; empty when it does not exist (UNAVAILABLE, thrown, when the provisioner does not answer). */
@FunctionalInterface
public interface AppDirectory {
    Optional<AppPorts> find(String app);
}
