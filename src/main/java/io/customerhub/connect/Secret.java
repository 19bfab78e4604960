package io.customerhub.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static io.customerhub.connect.TemplateParameters.unset;

/**
 * A credential that a source's or target's template parameters name but never hold: the environment variable
 * of its {@code <parameter>-env} or the file of its {@code <parameter>-file} (a mounted Docker or
 * Kubernetes secret). The factories check the parameters when the route is created, including that
 * the variable is set and the file readable; {@link #read()} reads the value again on every call,
 * so a rotated secret file is picked up without a restart. Messages name the system (its
 * {@code owner}, such as {@code source crm} or {@code sync erp}), the parameter and the variable or
 * file, never the value.
 */
public final class Secret {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String owner;
    private final String parameter;
    private final String env;
    private final String file;
    private final boolean required;
    private final UnaryOperator<String> environment;

    private Secret(String owner, String parameter, String env, String file, boolean required,
                   UnaryOperator<String> environment) {
        this.owner = owner;
        this.parameter = parameter;
        this.env = unset(env).strip();
        this.file = unset(file).strip();
        this.required = required;
        this.environment = environment;
    }

    /**
     * A secret that must be given by exactly one of the two parameters, and must not be blank.
     *
     * @param owner what the secret is for, starting every message: {@code source crm}, {@code sync erp}
     */
    public static Secret required(String owner, String parameter, String env, String file) {
        return required(owner, parameter, env, file, System::getenv);
    }

    /** As {@link #required(String, String, String, String)}, looking variables up in {@code environment}. */
    public static Secret required(String owner, String parameter, String env, String file, UnaryOperator<String> environment) {
        Secret secret = new Secret(owner, parameter, env, file, true, environment);
        if (secret.env.isEmpty() == secret.file.isEmpty()) {
            throw new IllegalArgumentException(secret.where() + "set exactly one of " + parameter + "-env and " + parameter + "-file");
        }
        return secret.checked();
    }

    /**
     * A secret that may be left out (empty when both parameters are), and may be empty, as the
     * password of a database user that has none.
     */
    public static Optional<Secret> optional(String owner, String parameter, String env, String file) {
        Secret secret = new Secret(owner, parameter, env, file, false, System::getenv);
        if (!secret.env.isEmpty() && !secret.file.isEmpty()) {
            throw new IllegalArgumentException(secret.where() + parameter + "-env and " + parameter
                    + "-file: set one of them, not both");
        }
        return secret.env.isEmpty() && secret.file.isEmpty() ? Optional.empty() : Optional.of(secret.checked());
    }

    private Secret checked() {
        if (!env.isEmpty() && !VARIABLE.matcher(env).matches()) {
            throw new IllegalArgumentException(where() + parameter + "-env: '" + env + "' is not an environment variable name");
        }
        try {
            read();
        } catch (SecretReadException e) {
            throw new IllegalArgumentException(e.getMessage(), e.getSuppressed().length > 0 ? e.getSuppressed()[0] : null);
        }
        return this;
    }

    /**
     * The value now, without surrounding whitespace (a secret file usually ends with a newline).
     *
     * @throws SecretReadException when the variable is no longer set or the file no longer readable
     *                             (or, for a required secret, either is blank)
     */
    public String read() {
        String value;
        if (!env.isEmpty()) {
            value = environment.apply(env);
            if (value == null || required && value.isBlank()) {
                throw new SecretReadException(where() + parameter + "-env: the environment variable " + env + " is not set");
            }
        } else {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // suppressed rather than the cause: the back-off shows the innermost cause's message, and this one names the parameter
                SecretReadException failed = new SecretReadException(where() + parameter + "-file: cannot read " + file);
                failed.addSuppressed(e);
                throw failed;
            }
            if (required && value.isBlank()) {
                throw new SecretReadException(where() + parameter + "-file: " + file + " is empty");
            }
        }
        return value.strip();
    }

    private String where() {
        return owner + ": ";
    }
}
