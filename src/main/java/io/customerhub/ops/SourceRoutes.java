package io.customerhub.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The source systems as the route ids name them: {@code <source>-ingest} reads a source,
 * {@code <source>-sync} writes golden changes back to it (routes/README.md, "Route ids").
 */
public final class SourceRoutes {

    public static final String INGEST = "-ingest";
    public static final String SYNC = "-sync";

    private SourceRoutes() {
    }

    /** The sources that have a route whose id ends with {@code suffix} and that {@code route} accepts. */
    public static Set<String> sources(CamelContext context, String suffix, Predicate<Route> route) {
        Set<String> sources = new TreeSet<>();
        for (Route candidate : context.getRoutes()) {
            String id = candidate.getRouteId();
            if (id.endsWith(suffix) && route.test(candidate)) {
                sources.add(id.substring(0, id.length() - suffix.length()));
            }
        }
        return sources;
    }

    /**
     * The sync targets: the sources with a {@code <source>-sync} route, declared ones included while they are
     * still being created and started (a source route that starts first stores changes the targets must get).
     */
    public static Set<String> syncTargets(CamelContext context) {
        Set<String> targets = sources(context, SYNC, route -> true);
        if (context instanceof ModelCamelContext model) {
            for (RouteDefinition definition : model.getRouteDefinitions()) {
                String id = definition.getRouteId();
                if (id != null && id.endsWith(SYNC)) {
                    targets.add(id.substring(0, id.length() - SYNC.length()));
                }
            }
        }
        return targets;
    }

    /**
     * The declaration an integrator writes for a file source ({@code routes/sources/<source>.camel.yaml}):
     * the {@code file-source} template as {@code <source>-ingest} with {@code mapping}, and with
     * {@code sync} its {@code file-sync} export {@code <source>-sync}, sharing the mapping through a
     * YAML anchor. For the commands and tests that declare sources themselves.
     */
    public static String fileSourceDeclaration(String source, String format, String mapping, boolean sync) {
        String parameters = """
                    parameters:
                      - name: source
                        value: %s
                      - name: format
                        value: %s
                      - name: mapping
                """.formatted(source, format);
        String indented = mapping.strip().lines().map(line -> "          " + line).reduce((a, b) -> a + "\n" + b).orElse("");
        String ingest = "- templatedRoute:\n    routeTemplateRef: file-source\n    routeId: " + source + INGEST + "\n"
                + parameters + "        value: &mapping |\n" + indented + "\n";
        return !sync ? ingest : ingest + "- templatedRoute:\n    routeTemplateRef: file-sync\n    routeId: " + source + SYNC
                + "\n" + parameters + "        value: *mapping\n";
    }
}
