package io.customerhub.app;

import io.customerhub.ops.RouteDeclarations;
import io.customerhub.ops.RouteTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.customerhub.app.CustomerHub;
import io.customerhub.testing.HubHome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code spec} command against the project's own {@code routes/templates}. */
class TemplateSpecTest {

    private static final Path ROUTES = HubHome.PROJECT.resolve("routes");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJdbcSourceTemplateIsReadWithItsRequiredSecretAndDefaultedParameters() {
        RouteTemplate jdbc = RouteDeclarations.templates(ROUTES).get("jdbc-source");

        assertThat(jdbc.parameters()).extracting(RouteTemplate.Parameter::name)
                .startsWith("source", "url", "user", "password-env", "password-file").contains("poll-interval");
        RouteTemplate.Parameter url = parameter(jdbc, "url");
        assertThat(url.required()).isTrue();
        assertThat(url.secret()).isFalse();
        RouteTemplate.Parameter passwordEnv = parameter(jdbc, "password-env");
        assertThat(passwordEnv.required()).isFalse();
        assertThat(passwordEnv.defaultValue()).isEqualTo("-");
        assertThat(passwordEnv.secret()).isTrue();
        assertThat(parameter(jdbc, "poll-interval").defaultValue()).isEqualTo("60000");
    }

    @Test
    void everyTemplateIsListedByIdWithItsParametersInDeclarationOrder() {
        String table = TemplateSpec.print(ROUTES, null, false);

        assertThat(table.lines().filter(line -> !line.startsWith(" ") && !line.isEmpty()).map(line -> line.substring(0, line.indexOf(':'))))
                .containsExactly("file-source", "file-sync", "http-lookup", "http-source", "http-sync", "jdbc-source", "jdbc-sync",
                        "webhook-source");
        assertThat(table).containsSubsequence("jdbc-source: ", "  source ", "  url ", "  user ", "  password-env ", "  password-file ");
        String jdbc = table.substring(table.indexOf("jdbc-source: "), table.indexOf("jdbc-sync: "));
        assertThat(jdbc.lines().filter(line -> line.strip().startsWith("url ")).findFirst().orElseThrow())
                .contains("(required)").contains("JDBC URL of the database");
        assertThat(jdbc.lines().filter(line -> line.strip().startsWith("password-env ")).findFirst().orElseThrow())
                .matches("  password-env +- +yes +Secret: the environment variable holding the password.*");
    }

    @Test
    void theJsonSchemaOfATemplateAcceptsACorrectParameterMapAndRejectsAMisspeltParameter() throws Exception {
        String json = TemplateSpec.print(ROUTES, "jdbc-source", true);
        JsonNode spec = JSON.readTree(json);
        assertThat(spec.path("$id").asText()).isEqualTo("urn:customer-hub:templates:jdbc-source");
        assertThat(spec.path("properties").path("password-env").path("writeOnly").asBoolean()).isTrue();
        assertThat(spec.path("properties").path("password-env").path("default").asText()).isEqualTo("-");
        assertThat(JSON.convertValue(spec.path("required"), String[].class)).contains("source", "url", "updated-column", "key-column", "mapping")
                .doesNotContain("user", "password-env");
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json);

        Map<String, String> erp = Map.of("source", "erp", "url", "jdbc:postgresql://erp/erp", "table", "customers",
                "updated-column", "changed_at", "key-column", "id", "mapping", "key: id", "password-env", "ERP_PASSWORD");
        assertThat(schema.validate(JSON.valueToTree(erp))).isEmpty();
        Map<String, String> misspelt = new HashMap<>(erp);
        misspelt.put("poll-intervall", "5000");
        assertThat(schema.validate(JSON.valueToTree(misspelt))).extracting(Object::toString).anyMatch(error -> error.contains("poll-intervall"));
        Map<String, Object> typed = new HashMap<>(erp);
        typed.put("pool-size", 4);
        typed.put("connect-timeout", "{{erp.connect-timeout}}");
        assertThat(schema.validate(JSON.valueToTree(typed))).isEmpty();
        typed.put("pool-size", "many");
        assertThat(schema.validate(JSON.valueToTree(typed))).extracting(Object::toString).anyMatch(error -> error.contains("pool-size"));
        misspelt.remove("url");
        assertThat(schema.validate(JSON.valueToTree(misspelt))).extracting(Object::toString).anyMatch(error -> error.contains("url"));
    }

    @Test
    void aModeIsOneOfItsValuesInTheJsonSchema() throws Exception {
        String json = TemplateSpec.print(ROUTES, "http-source", true);
        assertThat(JSON.readTree(json).path("properties").path("paging").path("anyOf").get(0).path("enum"))
                .extracting(JsonNode::asText).containsExactly("none", "page", "offset", "next-link", "cursor-token", "keyset");
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json);
        Map<String, String> shop = new HashMap<>(Map.of("source", "shop", "url", "https://api.example.com/customers",
                "mapping", "key: id", "paging", "next-link"));
        assertThat(schema.validate(JSON.valueToTree(shop))).isEmpty();
        shop.put("paging", "{{shop.paging}}");
        assertThat(schema.validate(JSON.valueToTree(shop))).isEmpty();
        shop.put("paging", "pages");
        assertThat(schema.validate(JSON.valueToTree(shop))).extracting(Object::toString).anyMatch(error -> error.contains("paging"));
    }

    @Test
    void allTemplatesAsJsonAreOneObjectKeyedByTemplateId() throws Exception {
        JsonNode all = JSON.readTree(TemplateSpec.print(ROUTES, null, true));

        assertThat(all.fieldNames()).toIterable().containsExactly("file-source", "file-sync", "http-lookup", "http-source", "http-sync",
                "jdbc-source", "jdbc-sync", "webhook-source");
        assertThat(all.path("file-source").path("title").asText()).isEqualTo("file-source");
        assertThat(all.path("jdbc-source").path("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void anUnknownTemplateIsRefusedNamingTheNearestOne() {
        assertThatThrownBy(() -> TemplateSpec.print(ROUTES, "jdbc-sorce", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no route template named jdbc-sorce; did you mean jdbc-source?");
    }

    @Test
    void theSpecCommandPrintsOnStdoutWithoutSettingsOrStore() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String logTarget = System.getProperty("hub.log.target");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream complaints = new ByteArrayOutputStream();
        int exitCode;
        int unknown;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(complaints, true, StandardCharsets.UTF_8));
            exitCode = CustomerHub.run(CommandLine.parse("spec", "--home", HubHome.PROJECT.toString(), "jdbc-source"));
            unknown = CustomerHub.run(CommandLine.parse("spec", "--home", HubHome.PROJECT.toString(), "jdbc-sorce"));
        } finally {
            System.setOut(out);
            System.setErr(err);
            // run() sends the logs to stderr for the commands' sake; the other tests in this JVM keep theirs
            if (logTarget == null) {
                System.clearProperty("hub.log.target");
            } else {
                System.setProperty("hub.log.target", logTarget);
            }
        }

        assertThat(exitCode).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("jdbc-source: ").contains("password-file").doesNotContain("file-source");
        assertThat(unknown).isEqualTo(2);
        assertThat(complaints.toString(StandardCharsets.UTF_8)).contains("did you mean jdbc-source?");
    }

    private static RouteTemplate.Parameter parameter(RouteTemplate template, String name) {
        return template.parameters().stream().filter(parameter -> parameter.name().equals(name)).findFirst().orElseThrow();
    }
}
