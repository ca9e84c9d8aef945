package io.orchestry.proxy.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;

import java.io.IOException;
import java.io.Writer;

/**
 * Templates under {@code resources/nginx}, where every {@code {{value}}} is held to {@link NginxEscaping#token(String)}
 * instead of being HTML-escaped. The templates use no unescaped {@code {{{value}}}} or {@code {{&value}}} (a test
 * asserts it), so nothing reaches the file around this check.
 */
final class EscapingMustacheFactory extends DefaultMustacheFactory {
    EscapingMustacheFactory() {
        super("nginx");
    }

    @Override
    public void encode(String value, Writer writer) {
        try {
            writer.write(NginxEscaping.token(value));
        } catch (IOException e) {
            throw new MustacheException("cannot write the configuration", e);
        }
    }
}
