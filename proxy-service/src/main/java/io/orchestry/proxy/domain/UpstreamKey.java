package io.orchestry.proxy.domain;

/**
 * One upstream: the instances of an app that serve one of its named ports. App and port names are DNS labels, so the
 * upstream's name in nginx is plain.
 */
public record UpstreamKey(String app, String portName) {
    /** The name of the {@code upstream} block (and of the balancer's entry): {@code app__port}. */
    public String nginxName() {
        return app + "__" + portName;
    }
}
