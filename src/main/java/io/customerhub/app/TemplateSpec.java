package io.customerhub.app;

import io.customerhub.connect.TemplateParameters;
import io.customerhub.ops.RouteDeclarations;
import io.customerhub.ops.RouteTemplate;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;

/**
 * What a route template takes, for an integrator about to write a declaration ({@code spec}, as Airbyte connectors
 * have): a table to read, or a JSON Schema (draft 2020-12) an editor or a script can check a parameter map against.
 * Read from the same templates the hub holds templated routes to at start, with no store and no Camel.
 */
public final class TemplateSpec {

    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private TemplateSpec() {
    }

    /**
     * The spec of the templates declared under {@code routes}: all of them by id, or only {@code id} when not null; as a
     * table, or with {@code json} as the schema of {@code id} or an object of every template's schema by id.
     *
     * @throws IllegalArgumentException when no template is named {@code id}, naming the nearest one
     */
    public static String print(Path routes, String id, boolean json) {
        SortedMap<String, RouteTemplate> templates = RouteDeclarations.templates(routes);
        if (id != null && !templates.containsKey(id)) {
            throw new IllegalArgumentException("no route template named " + id + RouteDeclarations.nearest(id, templates.keySet()));
        }
        Collection<RouteTemplate> shown = id == null ? templates.values() : List.of(templates.get(id));
        if (!json) {
            return table(shown);
        }
        if (id != null) {
            return schema(templates.get(id)).toPrettyString();
        }
        ObjectNode all = JsonNodeFactory.instance.objectNode();
        shown.forEach(template -> all.set(template.id(), schema(template)));
        return all.toPrettyString();
    }

    /** Each template as a heading line and one line per parameter, in declaration order; a blank line between templates. */
    static String table(Collection<RouteTemplate> templates) {
        List<String> blocks = new ArrayList<>();
        for (RouteTemplate template : templates) {
            long required = template.parameters().stream().filter(RouteTemplate.Parameter::required).count();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"PARAMETER", "DEFAULT", "SECRET", "DESCRIPTION"});
            for (RouteTemplate.Parameter parameter : template.parameters()) {
                rows.add(new String[] {parameter.name(), parameter.required() ? "(required)" : shown(parameter.defaultValue()),
                        parameter.secret() ? "yes" : "", parameter.description() == null ? "" : parameter.description()});
            }
            int[] widths = new int[3];
            rows.forEach(row -> {
                for (int column = 0; column < widths.length; column++) {
                    widths[column] = Math.max(widths[column], row[column].length());
                }
            });
            StringBuilder block = new StringBuilder(template.id() + ": " + template.parameters().size() + " parameters, "
                    + required + " required\n");
            String line = "  %-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s";
            rows.forEach(row -> block.append(String.format(line, (Object[]) row).stripTrailing()).append('\n'));
            blocks.add(block.toString());
        }
        return String.join("\n", blocks).stripTrailing();
    }

    /**
     * The parameter table of {@code template} as routes/README.md shows it (generated there from the template, so that the
     * two never differ: {@code RoutesReadmeTest}): a Markdown table of name, default and description.
     */
    public static String markdown(RouteTemplate template) {
        StringBuilder table = new StringBuilder("| parameter | default | meaning |\n|---|---|---|\n");
        for (RouteTemplate.Parameter parameter : template.parameters()) {
            table.append("| `").append(parameter.name()).append("` | ")
                    .append(parameter.required() ? "(required)" : "`" + cell(shown(parameter.defaultValue())) + "`").append(" | ")
                    .append(parameter.description() == null ? "" : cell(parameter.description())).append(" |\n");
        }
        return table.toString();
    }

    /**
     * The type of a parameter's value: text, or for one that sets a number or a flag, that (YAML's 5000) or text that
     * reads as it ("5000"), for a mode one of its values, or a placeholder Camel resolves later.
     */
    private static void typed(ObjectNode property, Class<?> type) {
        String placeholder = ".*\\{\\{.+}}.*";
        if (type == int.class || type == long.class) {
            property.putArray("type").add("integer").add("string");
            property.put("pattern", "^(\\s*-?[0-9]+\\s*|" + placeholder + ")$");
        } else if (type == boolean.class) {
            property.putArray("type").add("boolean").add("string");
            property.put("pattern", "^(true|false|" + placeholder + ")$");
        } else if (type.isEnum()) {
            // a mode: one of its values as written in routes (kebab case), or a placeholder
            property.put("type", "string");
            ArrayNode anyOf = property.putArray("anyOf");
            ArrayNode values = anyOf.addObject().putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                values.add(TemplateParameters.kebabCase((Enum<?>) constant));
            }
            anyOf.addObject().put("pattern", "^" + placeholder + "$");
        } else {
            property.put("type", "string");
        }
    }

    /** {@code text} in a cell of a Markdown table, where a {@code |} ends the cell unless escaped, even in code. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** An empty default would be an invisible column: shown quoted. */
    private static String shown(String defaultValue) {
        return defaultValue.isEmpty() ? "\"\"" : defaultValue;
    }

    /**
     * The JSON Schema of the parameter map a templated route gives {@code template}: every parameter text (Camel passes
     * them as text), or a number or a flag where its bean property is one, the ones without a default required, secrets write-only, and no other property, since Camel
     * ignores a misspelt one without a word.
     */
    static ObjectNode schema(RouteTemplate template) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", DIALECT);
        // an absolute URI: validators refuse a relative $id in a schema read from no location (networknt does)
        schema.put("$id", "urn:customer-hub:templates:" + template.id());
        schema.put("title", template.id());
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (RouteTemplate.Parameter parameter : template.parameters()) {
            ObjectNode property = properties.putObject(parameter.name());
            typed(property, parameter.type());
            if (parameter.description() != null) {
                property.put("description", parameter.description());
            }
            if (!parameter.required()) {
                property.put("default", parameter.defaultValue());
            }
            if (parameter.secret()) {
                property.put("writeOnly", true);
            }
        }
        ArrayNode required = schema.putArray("required");
        template.parameters().stream().filter(RouteTemplate.Parameter::required).forEach(parameter -> required.add(parameter.name()));
        schema.put("additionalProperties", false);
        return schema;
    }
}
