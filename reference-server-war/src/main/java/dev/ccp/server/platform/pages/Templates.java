package dev.ccp.server.platform.pages;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-rendered pages from Mustache templates under {@code ccp/templates}. Mustache escapes every
 * {@code {{value}}} for HTML, so nothing a person typed can become markup.
 */
public final class Templates {

    private final MustacheFactory factory = new DefaultMustacheFactory("ccp/templates");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    public String render(String name, Object scope) {
        Mustache template = compiled.computeIfAbsent(name, n -> factory.compile(n + ".mustache"));
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }
}
