package io.customerhub.testing;

import java.util.LinkedHashMap;
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

    /**
     * The declaration of an ERP customer table like the demo's ({@code kunnr}, {@code name1}, {@code email},
     * {@code mobile}, {@code changed_at}, {@code deleted}) at {@code url} as {@code user} (password in
     * {@code passwordFile}): {@code erp-ingest} polls it every {@code pollMillis}, {@code erp-sync} writes it back.
     */
    public static String erpTable(String url, String user, String passwordFile, String table, int pollMillis) {
        Map<String, String> connection = new LinkedHashMap<>(Map.of("url", url, "user", user, "password-file", passwordFile,
                "table", table, "key-column", "kunnr", "updated-column", "changed_at"));
        Map<String, String> ingest = new LinkedHashMap<>(connection);
        ingest.put("poll-interval", Integer.toString(pollMillis));
        Map<String, String> sync = new LinkedHashMap<>(connection);
        sync.put("deleted-column", "deleted");
        return ingestAndSync("erp", "jdbc-source", ingest, "jdbc-sync", sync, """
                key: kunnr
                updated-at: changed_at
                deleted: deleted
                fields:
                  fullName: name1
                  email: email
                  phone: mobile
                  country: { constant: CN }
                """);
    }

    private static void route(StringBuilder yaml, String template, String routeId, String source, Map<String, String> parameters) {
        yaml.append("- templatedRoute:\n    routeTemplateRef: ").append(template).append("\n    routeId: ").append(routeId)
                .append("\n    parameters:\n      - { name: source, value: ").append(source).append(" }\n");
        parameters.forEach((name, value) -> yaml.append("      - { name: ").append(name).append(", value: \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\" }\n"));
    }
}
