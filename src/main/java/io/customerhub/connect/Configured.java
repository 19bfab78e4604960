package io.customerhub.connect;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bean a route template configures through its {@link Option options}: Camel puts the template's parameters in
 * {@link #getOptions()} by name ({@code options[url]: "{{url}}"}), and {@link #configure()}, called first by the bean's
 * init method, sets each option's field from them, or from its default.
 */
public abstract class Configured {

    private final Map<String, String> options = new LinkedHashMap<>();

    /** The options given, by name, as text: what the template's {@code options[name]} properties set. */
    public Map<String, String> getOptions() {
        return options;
    }

    /**
     * Sets every option of this bean (its own and those of its {@link Option.Nested} objects) from the value given, or
     * from its default; a required option not given keeps its field as it is, for the bean's own check to name.
     *
     * @throws IllegalArgumentException naming an option that this bean does not have, or whose value its type does not take
     */
    protected final void configure() {
        List<Declared> declared = declared(getClass());
        Map<String, String> given = new HashMap<>();
        Set<String> names = new TreeSet<>();
        declared.forEach(option -> names.add(option.name()));
        for (Map.Entry<String, String> option : options.entrySet()) {
            String name = kebabCase(option.getKey());
            if (!names.contains(name)) {
                throw new IllegalArgumentException(option.getKey() + ": no such option; valid: " + String.join(", ", names));
            }
            given.put(name, option.getValue());
        }
        for (Declared option : declared) {
            if (given.get(option.name()) != null) {
                option.set(this, option.read(given.get(option.name())));
            } else if (option.defaultValue() != null && !option.defaultValue().startsWith("{{")) {
                option.set(this, option.read(option.defaultValue()));
            }
        }
    }

    /** {@code key} in kebab case: Camel's property binding hands a map key such as {@code record-element} on as {@code recordElement}. */
    private static String kebabCase(String key) {
        StringBuilder name = new StringBuilder();
        key.chars().forEach(c -> {
            if (Character.isUpperCase(c)) {
                name.append('-').append((char) Character.toLowerCase(c));
            } else {
                name.append((char) c);
            }
        });
        return name.toString();
    }

    /** The options of {@code type}, its own and those of its nested objects, in declaration order. */
    public static List<Declared> declared(Class<?> type) {
        List<Declared> declared = new ArrayList<>();
        collect(type, List.of(), declared);
        return declared;
    }

    private static void collect(Class<?> type, List<Field> path, List<Declared> declared) {
        for (Field field : type.getDeclaredFields()) {
            List<Field> at = new ArrayList<>(path);
            at.add(field);
            if (field.isAnnotationPresent(Option.class)) {
                declared.add(new Declared(field.getAnnotation(Option.class), List.copyOf(at)));
            } else if (field.isAnnotationPresent(Option.Nested.class)) {
                collect(field.getType(), at, declared);
            }
        }
    }

    /** An option as declared, and the field it sets, reached through the fields of {@code path} (the last one its own). */
    public record Declared(Option option, List<Field> path) {

        public String name() {
            return option.name();
        }

        /** The type of its field: text, a whole number, a flag or an enum. */
        public Class<?> type() {
            return path.get(path.size() - 1).getType();
        }

        /** Its description; a secret's starts with "Secret:", which {@code spec} and the schema read. */
        public String description() {
            return option.secret() ? "Secret: " + option.description() : option.description();
        }

        /** Its default as a template writes it, or null when it is required. */
        public String defaultValue() {
            return Option.REQUIRED.equals(option.defaultValue()) ? null : option.defaultValue();
        }

        /**
         * {@code text} as this option's type reads it: a whole number, true or false, or an enum constant in kebab case.
         *
         * @throws IllegalArgumentException naming the option
         */
        Object read(String text) {
            Class<?> type = type();
            String value = text.strip();
            try {
                if (type == int.class) {
                    return Integer.parseInt(value);
                }
                if (type == long.class) {
                    return Long.parseLong(value);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name() + ": '" + text + "' is not a whole number", e);
            }
            if (type == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException(name() + ": '" + text + "' is neither true nor false");
                }
                return Boolean.parseBoolean(value);
            }
            if (type.isEnum()) {
                return enumConstant(type.asSubclass(Enum.class), text);
            }
            return text;
        }

        private <E extends Enum<E>> E enumConstant(Class<E> type, String text) {
            return TemplateParameters.choice(name(), text, type);
        }

        void set(Object bean, Object value) {
            try {
                Object holder = bean;
                for (Field field : path.subList(0, path.size() - 1)) {
                    field.setAccessible(true);
                    holder = field.get(holder);
                }
                Field field = path.get(path.size() - 1);
                if (Modifier.isFinal(field.getModifiers())) {
                    throw new IllegalStateException("option " + name() + ": field " + field + " is final");
                }
                field.setAccessible(true);
                field.set(holder, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("option " + name() + ": " + e.getMessage(), e);
            }
        }
    }
}
