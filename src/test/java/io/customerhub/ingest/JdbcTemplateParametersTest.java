package io.customerhub.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc templates' defaults are declared twice: in the template (from which routes/README.md's table is generated,
 * {@code RoutesReadmeTest}) and as the defaults of the bean the template configures (what a test or the evaluation
 * command gets without the template). They must say the same.
 */
class JdbcTemplateParametersTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdbc-source, io.customerhub.ingest.JdbcRecordSource", "jdbc-sync, io.customerhub.sync.JdbcSyncWriter"})
    void theTemplateAndTheBeanHaveTheSameDefaults(String template, Class<?> bean) throws Exception {
        Map<?, ?> declaration = (Map<?, ?>) ((Map<?, ?>) ((List<?>) new Load(LoadSettings.builder().build()).loadFromString(
                Files.readString(PROJECT.resolve("routes/templates/" + template + ".camel.yaml"), StandardCharsets.UTF_8))).get(0))
                .get("routeTemplate");
        Map<String, String> declared = new LinkedHashMap<>();
        for (Object parameter : (List<?>) declaration.get("parameters")) {
            Map<?, ?> entry = (Map<?, ?>) parameter;
            Object value = entry.get("defaultValue");
            declared.put((String) entry.get("name"), value == null ? "(required)" : placeholder(String.valueOf(value)));
        }

        Object instance = bean.getDeclaredConstructor().newInstance();
        Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) ((List<?>) declaration.get("beans")).get(0)).get("properties");
        List<String> compared = new ArrayList<>();
        for (Map.Entry<?, ?> property : properties.entrySet()) {
            String parameter = String.valueOf(property.getValue()).replaceAll("^\\{\\{(.*)}}$", "$1");
            String value = declared.get(parameter);
            if (value == null || value.equals("(required)") || value.startsWith("hub.")) {
                continue; // no default of its own: required, or a setting of the hub's
            }
            Field field = bean.getDeclaredField((String) property.getKey());
            field.setAccessible(true);
            assertThat(String.valueOf(field.get(instance))).as("%s.%s, parameter %s", bean.getSimpleName(), field.getName(), parameter)
                    .isEqualTo(value);
            compared.add(parameter);
        }
        assertThat(compared).as("compared").contains("time-zone", "pool-size", "connect-timeout",
                bean == JdbcRecordSource.class ? "overlap" : "updated-column");
    }

    /** A default that is a setting of the hub's, {@code {{hub.ingest.batch-size}}}, as its name: {@code hub.ingest.batch-size}. */
    private static String placeholder(String value) {
        return value.replaceAll("^\\{\\{(.*)}}$", "$1");
    }
}
