package io.customerhub.testing;

import java.util.Map;

/**
 * The {@code routes/sources/<source>.camel.yaml} a test declares for a source that is read and written back:
 * its {@code <source>-ingest} route from one template and its {@code <source>-sync} route from another, both
 * sharing one field mapping through a YAML anchor, as an integrator writes it (routes/README.md).
 */
public final class SourceDeclaration {

    private SourceDeclaration() {
    }

    /**
     * The declaration; the parameters of each route in the order given (the source's name and the mapping are
     * added), each value quoted.
     */
    public static String ingestAndSync(String source, String ingestTemplate, Map<String, String> ingest, String syncTemplate,
                                       Map<String, String> sync, String mapping) {
        StringBuilder yaml = new StringBuilder();
        route(yaml, ingestTemplate, source + "-ingest", source, ingest);
        yaml.append("      - name: mapping\n        value: &mapping |\n");
        mapping.strip().lines().forEach(line -> yaml.append("          ").append(line).append('\n'));
        route(yaml, syncTemplate, source + "-sync", source, sync);
        yaml.append("      - { name: mapping, value: *mapping }\n");
        return yaml.toString();
    }

    private static void route(StringBuilder yaml, String template, String routeId, String source, Map<String, String> parameters) {
        yaml.append("- templatedRoute:\n    routeTemplateRef: ").append(template).append("\n    routeId: ").append(routeId)
                .append("\n    parameters:\n      - { name: source, value: ").append(source).append(" }\n");
        parameters.forEach((name, value) -> yaml.append("      - { name: ").append(name).append(", value: \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" }\n"));
    }
}
