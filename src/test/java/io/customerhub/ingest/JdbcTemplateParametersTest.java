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
 * The jdbc templates' parameters are declared three times: in the template, in routes/README.md's
 * table, and as the defaults of the bean the template configures (what a test or the evaluation
 * command gets without the template). They must say the same.
 */
class JdbcTemplateParametersTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdbc-source, io.customerhub.ingest.JdbcRecordSource", "jdbc-sync, io.customerhub.sync.JdbcSyncWriter"})
    void theTemplateTheReadmeAndTheBeanHaveTheSameDefaults(String template, Class<?> bean) throws Exception {
        Map<?, ?> declaration = (Map<?, ?>) ((Map<?, ?>) ((List<?>) new Load(LoadSettings.builder().build()).loadFromString(
                Files.readString(PROJECT.resolve("routes/templates/" + template + ".camel.yaml"), StandardCharsets.UTF_8))).get(0))
                .get("routeTemplate");
        Map<String, String> declared = new LinkedHashMap<>();
        for (Object parameter : (List<?>) declaration.get("parameters")) {
            Map<?, ?> entry = (Map<?, ?>) parameter;
            Object value = entry.get("defaultValue");
            declared.put((String) entry.get("name"), value == null ? "(required)" : placeholder(String.valueOf(value)));
        }

        assertThat(readmeTable(template)).as("routes/README.md, Template parameters (`%s`)", template).isEqualTo(declared);

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

    /** {@code {{hub.ingest.batch-size}}} as the README writes it: {@code hub.ingest.batch-size}. */
    private static String placeholder(String value) {
        return value.replaceAll("^\\{\\{(.*)}}$", "$1");
    }

    /** The parameter table under "### Template parameters (`template`)": name to default. */
    private static Map<String, String> readmeTable(String template) throws Exception {
        List<String> lines = Files.readAllLines(PROJECT.resolve("routes/README.md"), StandardCharsets.UTF_8);
        int at = lines.indexOf("### Template parameters (`" + template + "`)");
        assertThat(at).as("the table of " + template).isNotNegative();
        Map<String, String> table = new LinkedHashMap<>();
        for (int i = at + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                table.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", ""));
            } else if (!table.isEmpty()) {
                break;
            }
        }
        return table;
    }
}
