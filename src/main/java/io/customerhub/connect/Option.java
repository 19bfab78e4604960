package io.customerhub.connect;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A connector option, declared once, on the field it sets: the route template parameter of {@code name} sets it. The
 * template's parameter list and its bean's {@code options[...]} properties are generated from these declarations
 * ({@code RouteTemplatesTest}, which also writes them), and so are the tables of routes/README.md and the {@code spec}
 * command's output. {@link Configured#configure()} sets the field from the parameter's text, as the field's type reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Option {

    /** The {@link #defaultValue()} of an option without one: the template refuses a route that does not set it. */
    String REQUIRED = "";

    /** The template parameter, in kebab case. */
    String name();

    /** What it means, for the integrator who sets it: one or two sentences. */
    String description();

    /**
     * Its value when a route does not set it, as a template writes it: {@code "-"} for not set, an enum constant in kebab
     * case, or a placeholder of the hub's settings ({@code {{hub.ingest.batch-size}}}, resolved by Camel: outside a
     * route, the field keeps its initial value).
     */
    String defaultValue() default REQUIRED;

    /** Whether its value says where a secret is read (an environment variable, a file): never the secret itself. */
    boolean secret() default false;

    /** On a field holding an object whose own options are options of this connector too ({@link JdbcEndpoint}, ...). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Nested {
    }
}
