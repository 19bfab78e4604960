package io.customerhub.ops;

import io.customerhub.connect.Configured;
import io.customerhub.connect.Option;
import io.customerhub.mapping.FieldMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks what integrators declare in {@code routes/} before anything starts: every {@code templatedRoute} names a
 * template that exists and only parameters that template declares (Camel itself ignores a misspelt one, so that
 * {@code poll-intervall} left the source at the default interval without a word), and every {@code mapping} parameter
 * parses. Each error names the file, the line and, for an unknown name, the nearest valid one.
 */
public final class RouteDeclarations {

    private RouteDeclarations() {
    }

    /**
     * The errors of the route files under {@code routes} (the templates they declare, the templated routes that use
     * them); empty when none. Read before Camel loads them, which would stop at the first missing parameter.
     */
    public static List<String> check(Path routes) {
        Map<Path, SequenceNode> documents = documents(routes);
        Map<String, RouteTemplate> templates = templates(documents);
        List<String> errors = new ArrayList<>();
        List<Declared> declared = new ArrayList<>();
        documents.forEach((name, entries) -> check(templates, name, entries, errors, declared));
        checkRouteIds(declared, errors);
        return errors;
    }

    /** A templated route of a source or sync template, where it is declared. */
    private record Declared(Path file, Node node, String route, String template, String source) {

        /**
         * The route id the hub finds it by: {@code <source>-sync}, {@code <source>-webhook} for the webhook template,
         * {@code <source>-ingest} for the other source templates; null for other templates.
         */
        String expectedId() {
            return template.endsWith(SourceRoutes.SYNC) ? source + SourceRoutes.SYNC
                    : template.equals("webhook-source") ? source + "-webhook"
                    : template.endsWith("-source") ? source + SourceRoutes.INGEST : null;
        }
    }

    /**
     * Sources and sync targets are found by their route ids (the outbox's targets are the {@code -sync} routes): a route
     * id that does not follow its {@code source} parameter would leave a target without changes, or a source's records
     * unread as the echo of the hub's writes, without a word. A sync target needs its source route too: what the hub
     * wrote there is recognised when read back.
     */
    private static void checkRouteIds(List<Declared> declared, List<String> errors) {
        Set<String> sources = new TreeSet<>();
        declared.stream().filter(d -> d.template().endsWith("-source")).forEach(d -> sources.add(d.source()));
        for (Declared d : declared) {
            if (d.route().contains("{{") || d.source().contains("{{")) {
                continue; // resolved by Camel from the settings: not known here
            }
            String expected = d.expectedId();
            if (expected != null && !expected.equals(d.route())) {
                errors.add(at(d.file(), d.node()) + d.route() + ": a " + d.template() + " route of source " + d.source()
                        + " must have the route id " + expected + " (sources and sync targets are found by it)");
            } else if (d.template().endsWith(SourceRoutes.SYNC) && !sources.contains(d.source())) {
                errors.add(at(d.file(), d.node()) + d.route() + ": sync target " + d.source() + " has no source route ("
                        + d.source() + SourceRoutes.INGEST + "): what the hub writes there must be read back to be recognised");
            }
        }
    }

    /**
     * The route templates declared in the route files under {@code routes}, by id: what {@link #check} holds templated
     * routes to, and what the {@code spec} command shows integrators before they write one.
     */
    public static SortedMap<String, RouteTemplate> templates(Path routes) {
        return templates(documents(routes));
    }

    private static SortedMap<String, RouteTemplate> templates(Map<Path, SequenceNode> documents) {
        SortedMap<String, RouteTemplate> templates = new TreeMap<>();
        documents.values().forEach(entries -> entries.getValue().forEach(entry -> {
            Node template = value(entry, "routeTemplate");
            String id = text(value(template, "id"));
            if (id != null) {
                List<RouteTemplate.Parameter> parameters = new ArrayList<>();
                Map<String, Class<?>> types = propertyTypes(template);
                if (value(template, "parameters") instanceof SequenceNode list) {
                    for (Node parameter : list.getValue()) {
                        Optional.ofNullable(text(value(parameter, "name"))).ifPresent(name -> parameters.add(new RouteTemplate.Parameter(
                                name, text(value(parameter, "defaultValue")), text(value(parameter, "description")),
                                types.getOrDefault(name, String.class))));
                    }
                }
                templates.put(id, new RouteTemplate(id, parameters));
            }
        }));
        return templates;
    }

    /** Each route file under {@code routes} that is a YAML list, by its name relative to the home. */
    private static Map<Path, SequenceNode> documents(Path routes) {
        Map<Path, SequenceNode> documents = new TreeMap<>();
        try (Stream<Path> files = Files.walk(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                Path name = routes.getParent() == null ? file : routes.getParent().relativize(file);
                try {
                    new Compose(LoadSettings.builder().setLabel(name.toString()).build()).composeString(Files.readString(file))
                            .filter(SequenceNode.class::isInstance).ifPresent(node -> documents.put(name, (SequenceNode) node));
                } catch (RuntimeException e) {
                    // not YAML: Camel's own loader names the file and line
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the route files under " + routes, e);
        }
        return documents;
    }

    private static void check(Map<String, RouteTemplate> templates, Path name, SequenceNode entries, List<String> errors,
                              List<Declared> declared) {
        for (Node entry : entries.getValue()) {
            Node templated = value(entry, "templatedRoute");
            if (templated == null) {
                continue;
            }
            String template = text(value(templated, "routeTemplateRef"));
            String route = Optional.ofNullable(text(value(templated, "routeId"))).orElse(template);
            RouteTemplate referenced = template == null ? null : templates.get(template);
            if (referenced == null) {
                errors.add(at(name, templated) + route + ": no route template named " + template + nearest(String.valueOf(template),
                        templates.keySet()));
                continue;
            }
            Set<String> names = referenced.parameterNames();
            Map<String, RouteTemplate.Parameter> byName = new TreeMap<>();
            referenced.parameters().forEach(each -> byName.put(each.name(), each));
            Node parameters = value(templated, "parameters");
            if (!(parameters instanceof SequenceNode list)) {
                continue;
            }
            for (Node parameter : list.getValue()) {
                String parameterName = text(value(parameter, "name"));
                if ("source".equals(parameterName) && text(value(parameter, "value")) != null) {
                    declared.add(new Declared(name, templated, route, template, text(value(parameter, "value"))));
                }
                String given = value(parameter, "value") instanceof ScalarNode scalar ? scalar.getValue() : null;
                if (parameterName != null && !names.contains(parameterName)) {
                    errors.add(at(name, parameter) + route + ": template " + template + " has no parameter " + parameterName
                            + nearest(parameterName, names));
                } else if (parameterName != null && given != null && !given.contains("{{")
                        && byName.get(parameterName).refusal(given) != null) {
                    errors.add(at(name, value(parameter, "value")) + route + ": parameter " + parameterName + ": "
                            + byName.get(parameterName).refusal(given));
                } else if ("mapping".equals(parameterName) && value(parameter, "value") instanceof ScalarNode mapping
                        && !mapping.getValue().contains("{{")) {
                    try {
                        FieldMapping.parse(mapping.getValue());
                    } catch (IllegalArgumentException e) {
                        errors.add(at(name, mapping, lineIn(mapping, e.getMessage())) + route + ": mapping " + e.getMessage());
                    }
                }
            }
        }
    }

    /** The ids of the routes a route file declares ({@code routeId} of a templated route, {@code id} of a route). */
    public static Set<String> routeIds(String content) {
        Set<String> ids = new TreeSet<>();
        try {
            new Compose(LoadSettings.builder().build()).composeString(content).filter(SequenceNode.class::isInstance)
                    .ifPresent(node -> ((SequenceNode) node).getValue().forEach(entry -> {
                        Optional.ofNullable(text(value(value(entry, "templatedRoute"), "routeId"))).ifPresent(ids::add);
                        Optional.ofNullable(text(value(value(entry, "route"), "id"))).ifPresent(ids::add);
                    }));
        } catch (RuntimeException e) {
            // not YAML: no routes of ours
        }
        return ids;
    }

    /**
     * The type of the option each parameter of {@code template} sets ({@code options[connect-timeout]: "{{connect-timeout}}"}),
     * from its bean's declaration ({@link Option}): what a value given for it must convert to. A bean of another class is
     * left out.
     */
    private static Map<String, Class<?>> propertyTypes(Node template) {
        Map<String, Class<?>> types = new TreeMap<>();
        if (!(value(template, "beans") instanceof SequenceNode beans)) {
            return types;
        }
        for (Node bean : beans.getValue()) {
            String type = text(value(bean, "type"));
            if (type == null || !type.startsWith("#class:io.customerhub.")) {
                continue;
            }
            try {
                Configured.declared(Class.forName(type.substring("#class:".length())))
                        .forEach(option -> types.put(option.name(), option.type()));
            } catch (ClassNotFoundException e) {
                // Camel names it when it creates the bean
            }
        }
        return types;
    }

    /** ", did you mean X?" for the valid name nearest to {@code name} (at most a third of it misspelt), else the valid names. */
    public static String nearest(String name, Set<String> valid) {
        Optional<String> nearest = valid.stream().min(Comparator.comparingInt(candidate -> distance(name, candidate)));
        if (nearest.isPresent() && distance(name, nearest.get()) <= Math.max(2, name.length() / 3)) {
            return "; did you mean " + nearest.get() + "?";
        }
        return valid.isEmpty() ? "" : "; valid: " + String.join(", ", valid);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * The line within a mapping block that an error is about: its message starts with the entry's path
     * ({@code fields.phone.first-of: ...}); the first line of the block that declares the path's last key.
     */
    private static int lineIn(ScalarNode mapping, String message) {
        int colon = message.indexOf(':');
        String path = colon < 0 ? "" : message.substring(0, colon);
        String key = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[.*", "").strip();
        List<String> lines = mapping.getValue().lines().toList();
        for (int i = 0; i < lines.size() && !key.isEmpty() && !key.contains(" "); i++) {
            if (lines.get(i).strip().startsWith(key + ":")) {
                // a block scalar (|) starts on the line after its key
                return i + (mapping.getScalarStyle() == ScalarStyle.LITERAL || mapping.getScalarStyle() == ScalarStyle.FOLDED ? 1 : 0);
            }
        }
        return 0;
    }

    private static String at(Path file, Node node) {
        return at(file, node, 0);
    }

    private static String at(Path file, Node node, int linesFurther) {
        int line = node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0) + linesFurther;
        return file + ":" + line + ": ";
    }

    private static Node value(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (key.equals(text(tuple.getKeyNode()))) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }

    private static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }
}
