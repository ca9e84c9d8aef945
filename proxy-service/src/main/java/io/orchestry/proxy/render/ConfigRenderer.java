package io.orchestry.proxy.render;

/** Renders one whole nginx.conf from a model: pure, deterministic, every value escaped (NginxConfigRenderer). */
@FunctionalInterface
public interface ConfigRenderer {
    String render(ProxyModel model);
}
