package io.customerhub.app;

import io.customerhub.ops.RouteDeclarations;
import io.customerhub.ops.RouteTemplate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parameter tables of routes/README.md are generated from the templates ({@link TemplateSpec#markdown}): a template
 * whose parameters changed fails here until its table is generated again ({@code -Droutes.readme=write} writes them).
 */
class RoutesReadmeTest {

    private static final Path ROUTES = Path.of("routes").toAbsolutePath();
    private static final Path README = ROUTES.resolve("README.md");

    @Test
    void everyTemplatesParameterTableIsTheOneGeneratedFromIt() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        String generated = generated(readme, RouteDeclarations.templates(ROUTES));
        if ("write".equals(System.getProperty("routes.readme")) && !generated.equals(readme)) {
            Files.writeString(README, generated, StandardCharsets.UTF_8);
        }
        assertThat(readme).as("routes/README.md, against the tables generated from the templates (-Droutes.readme=write"
                + " writes them)").isEqualTo(generated);
    }

    /** {@code readme} with the table under each "### Template parameters (`id`)" heading replaced by the generated one. */
    private static String generated(String readme, Map<String, RouteTemplate> templates) {
        List<String> lines = readme.lines().toList();
        StringBuilder out = new StringBuilder();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.append(line).append('\n');
            if (line.startsWith("### Template parameters (`") && line.endsWith("`)")) {
                String id = line.substring("### Template parameters (`".length(), line.length() - 2);
                assertThat(templates).as("the template of heading %s", line).containsKey(id);
                seen++;
                out.append('\n').append(TemplateSpec.markdown(templates.get(id)));
                i++; // the blank line
                while (i + 1 < lines.size() && lines.get(i + 1).startsWith("|")) {
                    i++;
                }
            }
        }
        assertThat(seen).as("a table for every template").isEqualTo(templates.size());
        return out.toString();
    }
}
