package io.customerhub.app;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A template's defaults are written twice: in the template's parameters (from which routes/README.md's tables are
 * generated, {@link RoutesReadmeTest}) and as the field defaults of the bean it configures, which is what a test or the
 * evaluation command gets without the template. For every template and every bean property set from a parameter of
 * its own, the two must say the same.
 */
class TemplateBeanDefaultsTest {

    private static final Path TEMPLATES = Path.of("routes/templates").toAbsolutePath();

    static Stream<String> templates() throws Exception {
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void theTemplateAndItsBeanHaveTheSameDefaults(String file) throws Exception {
        Map<?, ?> declaration = (Map<?, ?>) ((Map<?, ?>) ((List<?>) new Load(LoadSettings.builder().build()).loadFromString(
                Files.readString(TEMPLATES.resolve(file), StandardCharsets.UTF_8))).get(0)).get("routeTemplate");
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Object parameter : (List<?>) declaration.get("parameters")) {
            Map<?, ?> entry = (Map<?, ?>) parameter;
            defaults.put((String) entry.get("name"), entry.get("defaultValue") == null ? null : String.valueOf(entry.get("defaultValue")));
        }
        List<String> compared = new ArrayList<>();
        for (Object each : (List<?>) declaration.get("beans")) {
            Map<?, ?> bean = (Map<?, ?>) each;
            String type = String.valueOf(bean.get("type"));
            if (!type.startsWith("#class:io.customerhub.") || bean.get("properties") == null) {
                continue;
            }
            Class<?> beanClass = Class.forName(type.substring("#class:".length()));
            Object instance = beanClass.getDeclaredConstructor().newInstance();
            for (Map.Entry<?, ?> property : ((Map<?, ?>) bean.get("properties")).entrySet()) {
                String parameter = String.valueOf(property.getValue()).replaceAll("^\\{\\{(.*)}}$", "$1");
                String value = defaults.get(parameter);
                if (value == null || value.startsWith("{{") || !String.valueOf(property.getValue()).equals("{{" + parameter + "}}")) {
                    continue; // required, a setting of the hub's, or no parameter of its own
                }
                // a nested property (endpoint.auth) is a field of the object its first part holds
                Object holder = instance;
                String[] path = ((String) property.getKey()).split("\\.");
                for (int i = 0; i < path.length - 1; i++) {
                    Field nested = field(holder.getClass(), path[i]);
                    nested.setAccessible(true);
                    holder = nested.get(holder);
                }
                String name = path[path.length - 1];
                // a mode kept as written until init() reads it as its type (the typed field is set there)
                Field field = field(holder.getClass(), name + "Parameter");
                field = field != null ? field : field(holder.getClass(), name);
                assertThat(field).as("%s: field %s of %s, set from parameter %s", file, property.getKey(), beanClass.getSimpleName(),
                        parameter).isNotNull();
                field.setAccessible(true);
                assertThat(shown(field.get(holder))).as("%s: %s.%s, parameter %s", file, beanClass.getSimpleName(), property.getKey(),
                        parameter).isEqualTo(value);
                compared.add(parameter);
            }
        }
        assertThat(compared).as("%s: the defaults compared", file).isNotEmpty();
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // its superclass may declare it
            }
        }
        return null;
    }

    /** A field's default as a template writes it: "-" for none, an enum constant in lower case with hyphens. */
    private static String shown(Object value) {
        if (value == null) {
            return "-";
        }
        return value instanceof Enum<?> constant ? constant.name().toLowerCase(Locale.ROOT).replace('_', '-') : String.valueOf(value);
    }
}
