package io.customerhub.app;

import io.customerhub.connect.Configured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector option is declared once, on its bean's field ({@link io.customerhub.connect.Option}); the template's
 * parameter of it and the bean property that passes it on ({@code options[name]: "{{name}}"}) are generated from that
 * declaration. A template whose bean's options changed fails here until it is generated again
 * ({@code -Droutes.templates=write} writes them; then {@code -Droutes.readme=write} the tables of routes/README.md).
 * Parameters the route itself uses (a poll interval) are the template's own, and kept as written after the options.
 */
class RouteTemplatesTest {

    private static final Path TEMPLATES = Path.of("routes/templates").toAbsolutePath();
    private static final String PARAMETER = "      - name: ";
    private static final String PROPERTY = "          ";

    static Stream<String> templates() throws Exception {
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void theTemplateDeclaresTheOptionsOfItsBean(String file) throws Exception {
        Path path = TEMPLATES.resolve(file);
        String template = Files.readString(path, StandardCharsets.UTF_8);
        String generated = generated(template);
        if ("write".equals(System.getProperty("routes.templates")) && !generated.equals(template)) {
            Files.writeString(path, generated, StandardCharsets.UTF_8);
        }
        assertThat(template).as("%s, against the parameters generated from its bean's options (-Droutes.templates=write writes"
                + " them)", file).isEqualTo(generated);
    }

    /** {@code template} with its parameters and its beans' option properties generated from the options of its beans. */
    private static String generated(String template) throws ClassNotFoundException {
        Map<?, ?> declaration = (Map<?, ?>) ((Map<?, ?>) ((List<?>) new Load(LoadSettings.builder().build())
                .loadFromString(template)).get(0)).get("routeTemplate");
        Map<String, List<Configured.Declared>> optionsByBean = new LinkedHashMap<>();
        for (Object each : (List<?>) declaration.get("beans")) {
            Map<?, ?> bean = (Map<?, ?>) each;
            String type = String.valueOf(bean.get("type"));
            if (type.startsWith("#class:io.customerhub.")) {
                List<Configured.Declared> options = Configured.declared(Class.forName(type.substring("#class:".length())));
                if (!options.isEmpty()) {
                    optionsByBean.put(String.valueOf(bean.get("name")), options);
                }
            }
        }
        assertThat(optionsByBean).as("a bean with options").isNotEmpty();
        Map<String, Configured.Declared> options = new LinkedHashMap<>();
        optionsByBean.values().forEach(declared -> declared.forEach(option -> assertThat(options.put(option.name(), option))
                .as("option %s declared once", option.name()).isNull()));

        List<String> lines = new ArrayList<>(template.lines().toList());
        int start = lines.indexOf("    parameters:") + 1;
        int end = blockEnd(lines, start, 4);
        List<String> own = new ArrayList<>();
        for (int i = start; i < end; i++) {
            if (lines.get(i).startsWith(PARAMETER) && !options.containsKey(lines.get(i).substring(PARAMETER.length()).strip())) {
                int next = i + 1;
                while (next < end && !lines.get(next).startsWith(PARAMETER)) {
                    next++;
                }
                own.addAll(lines.subList(i, next));
                i = next - 1;
            }
        }
        List<String> parameters = new ArrayList<>();
        options.values().forEach(option -> parameters.addAll(parameter(option)));
        parameters.addAll(own);
        replace(lines, start, end, parameters);

        for (Map.Entry<String, List<Configured.Declared>> bean : optionsByBean.entrySet()) {
            int at = lines.indexOf(PARAMETER + bean.getKey());
            int from = at + 1;
            while (!lines.get(from).equals("        properties:")) {
                from++;
            }
            from++;
            int to = blockEnd(lines, from, 8);
            List<String> properties = new ArrayList<>();
            bean.getValue().forEach(option -> properties.add(PROPERTY + "options[" + option.name() + "]: \"{{" + option.name() + "}}\""));
            // every other property is the hub's own (a setting, another bean): kept as written
            lines.subList(from, to).stream().filter(line -> !line.startsWith(PROPERTY + "options[")
                    && bean.getValue().stream().noneMatch(option -> line.endsWith(": \"{{" + option.name() + "}}\""))).forEach(properties::add);
            replace(lines, from, to, properties);
        }
        return String.join("\n", lines) + "\n";
    }

    /** The entry of {@code option} in a template's parameters. */
    private static List<String> parameter(Configured.Declared option) {
        List<String> entry = new ArrayList<>();
        entry.add(PARAMETER + option.name());
        entry.add("        description: " + quoted(option.description()));
        if (option.defaultValue() != null) {
            entry.add("        defaultValue: " + quoted(option.defaultValue()));
        }
        return entry;
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The index of the first line after {@code start} indented {@code indent} spaces or less: the end of a block. */
    private static int blockEnd(List<String> lines, int start, int indent) {
        int end = start;
        while (end < lines.size() && (lines.get(end).isBlank() || lines.get(end).length() - lines.get(end).stripLeading().length() > indent)) {
            end++;
        }
        return end;
    }

    private static void replace(List<String> lines, int start, int end, List<String> with) {
        lines.subList(start, end).clear();
        lines.addAll(start, with);
    }
}
