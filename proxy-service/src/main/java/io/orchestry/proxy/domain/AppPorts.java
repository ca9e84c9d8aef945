package io.orchestry.proxy.domain;

import java.util.List;

/** What the proxy needs to know of an app (from the provisioner's GetApp): its project and port names in spec order. */
public record AppPorts(String app, String project, List<String> portNames) {
    public AppPorts {
        portNames = List.copyOf(portNames);
    }
}
