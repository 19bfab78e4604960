package io.customerhub.ops;

import io.customerhub.connect.TemplateParameters;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A route template as {@code routes/} declares it: its id and its parameters in declaration order. Read once by
 * {@link RouteDeclarations#templates}, so the check of templated routes at start and the {@code spec} command agree on
 * what a template takes.
 */
public record RouteTemplate(String id, List<Parameter> parameters) {

    /** The prefix of a parameter's description that marks it secret: its value says where to read the secret, never the secret. */
    private static final String SECRET = "Secret:";

    public RouteTemplate {
        parameters = List.copyOf(parameters);
    }

    /**
     * One parameter; {@code defaultValue} and {@code description} are null when not declared. Camel refuses to create a
     * route from the template without a value for a parameter that has no default. {@code type} is that of the option
     * the template sets from it ({@code int}, {@code long}, {@code boolean}, an enum; {@code String} for text and for
     * a parameter that sets none).
     */
    public record Parameter(String name, String defaultValue, String description, Class<?> type) {

        /**
         * Why {@code value} cannot be this parameter's, or null when it can: a whole number for an {@code int} or
         * {@code long} option, true or false for a {@code boolean}, one of the constants of an enum.
         */
        public String refusal(String value) {
            String text = value.strip();
            try {
                if (type == int.class) {
                    Integer.parseInt(text);
                } else if (type == long.class) {
                    Long.parseLong(text);
                }
            } catch (NumberFormatException e) {
                return "'" + value + "' is not a whole number" + (type == int.class ? " (at most " + Integer.MAX_VALUE + ")" : "");
            }
            if (type == boolean.class && !text.equals("true") && !text.equals("false")) {
                return "'" + value + "' is neither true nor false";
            }
            return type.isEnum() ? TemplateParameters.refusal(value, type) : null;
        }

        public boolean required() {
            return defaultValue == null;
        }

        public boolean secret() {
            return description != null && description.startsWith(SECRET);
        }
    }

    /** The parameter names, sorted (as the nearest-name hint lists them). */
    public Set<String> parameterNames() {
        Set<String> names = new TreeSet<>();
        parameters.forEach(parameter -> names.add(parameter.name()));
        return names;
    }
}
