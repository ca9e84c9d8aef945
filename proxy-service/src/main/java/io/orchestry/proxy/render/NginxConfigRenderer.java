package io.orchestry.proxy.render;

import io.orchestry.proxy.nginx.NginxBinary;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the whole nginx.conf from a {@link ProxyModel} through {@code resources/nginx/nginx.conf.mustache} (pure: the
 * same model gives the same text). Every value passes its {@link NginxEscaping} context check while the view is built
 * and the common check as the template writes it; a value that fails either is an {@link IllegalArgumentException}
 * naming the field, and nothing is rendered.
 */
public final class NginxConfigRenderer implements ConfigRenderer {
    /** Debian's {@code libnginx-mod-http-lua} puts the ndk and lua modules here. */
    static final String TEMPLATE = "nginx.conf.mustache";

    private final Path moduleFolder;
    private final Mustache template;

    public NginxConfigRenderer() {
        this(NginxBinary.MODULES);
    }

    /** @param moduleFolder where {@code ndk_http_module.so} and {@code ngx_http_lua_module.so} are (used with Lua) */
    public NginxConfigRenderer(Path moduleFolder) {
        this.moduleFolder = moduleFolder;
        this.template = new EscapingMustacheFactory().compile(TEMPLATE);
    }

    @Override
    public String render(ProxyModel model) {
        ConfigView view = view(model);
        StringWriter out = new StringWriter();
        try {
            template.execute(out, view);
        } catch (MustacheException e) {
            throw unwrap(e);
        }
        return out.toString();
    }

    private ConfigView view(ProxyModel model) {
        NginxSettings s = model.settings();
        ServerLayout layout = new ServerLayout(s, model.routes());
        ConfigView.Lua lua = s.lua()
                ? new ConfigView.Lua(
                        List.of(NginxEscaping.quotedPath("module", moduleFolder.resolve("ndk_http_module.so")),
                                NginxEscaping.quotedPath("module", moduleFolder.resolve("ngx_http_lua_module.so"))),
                        NginxEscaping.absolutePath("luaFolder", s.luaFolder()),
                        String.valueOf(NginxEscaping.port("controlPort", s.controlPort())))
                : null;
        if (s.workerProcesses() < 0) {
            throw new IllegalArgumentException("workerProcesses must be 0 (auto) or more: " + s.workerProcesses());
        }
        return new ConfigView(
                s.workerProcesses() == 0 ? "auto" : String.valueOf(s.workerProcesses()),
                NginxEscaping.quotedPath("pidFile", s.pidFile()),
                NginxEscaping.quotedPath("errorLog", s.errorLog()),
                NginxEscaping.milliseconds("workerShutdownTimeout", s.workerShutdownTimeout()),
                NginxEscaping.quotedPath("accessLog", s.accessLog()),
                NginxEscaping.absolutePath("tempFolder", s.tempFolder()),
                NginxEscaping.quotedSecret("probeToken", s.probeToken()),
                lua,
                layout.upstreams(),
                layout.servers());
    }

    /** The template engine wraps what the encoder threw; the caller gets the refusal itself. */
    private static RuntimeException unwrap(MustacheException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalArgumentException refused) {
                return refused;
            }
        }
        return e;
    }
}
