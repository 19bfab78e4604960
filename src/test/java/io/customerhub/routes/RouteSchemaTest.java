package io.customerhub.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.customerhub.testing.HubHome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.Test;

/**
 * Every route file an integrator edits validates against the JSON schema the Camel YAML DSL ships ({@code camel-yaml-dsl},
 * {@code schema/camelYamlDsl.json}): what VS Code's Camel extension and Kaoto check as the file is edited.
 */
class RouteSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyRouteFileValidatesAgainstTheCamelYamlDslSchema() throws IOException {
        Schema schema;
        try (InputStream in = YamlRoutesBuilderLoader.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("the schema in camel-yaml-dsl").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(HubHome.PROJECT.resolve("routes"))) {
            files = walk.filter(file -> file.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertThat(files).allSatisfy(file -> assertThat(errors(schema, file)).as("%s against the Camel YAML DSL schema",
                HubHome.PROJECT.relativize(file)).isEmpty());
    }

    private static List<String> errors(Schema schema, Path file) {
        try {
            JsonNode routes = YAML.readTree(file.toFile());
            // a value the schema refuses yields an error per alternative it might have been: one line per place, its first
            Map<String, String> byPlace = new TreeMap<>();
            for (Error error : schema.validate(routes)) {
                byPlace.putIfAbsent(error.getInstanceLocation().toString(), error.getMessage() + " (" + error.getInstanceNode() + ")");
            }
            return byPlace.entrySet().stream().map(place -> place.getKey() + ": " + place.getValue()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
