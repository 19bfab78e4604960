package io.customerhub.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The credentials of an HTTP API as template parameters declare them ({@code auth} none, bearer,
 * basic or api-key, each secret from its {@code <what>-env} or {@code <what>-file} parameter), turned
 * into request headers. It is the same scheme as the {@code http-source} template's, for the
 * templates that call an API without polling it ({@code http-sync}). The constructor checks the
 * parameters and reads the secrets once, so a missing one fails route creation; {@link #headers()}
 * reads them again, so a rotated secret file needs no restart. Messages name the route's system,
 * the parameter and the variable or file, never a value.
 */
public final class HttpAuth {

    private static final List<String> AUTHS = List.of("none", "bearer", "basic", "api-key");

    private final String system;
    private final String auth;
    private final String tokenEnv;
    private final String tokenFile;
    private final String userEnv;
    private final String userFile;
    private final String passwordEnv;
    private final String passwordFile;
    private final String apiKeyHeader;

    /**
     * @param system the source or target the credentials are for, named in messages
     * @throws IllegalArgumentException when a parameter is wrong or a secret cannot be read
     */
    public HttpAuth(String system, String auth, String tokenEnv, String tokenFile, String userEnv, String userFile,
                    String passwordEnv, String passwordFile, String apiKeyHeader) {
        this.system = system;
        String mode = auth == null ? "" : auth.strip().toLowerCase(Locale.ROOT);
        if (!AUTHS.contains(mode)) {
            throw new IllegalArgumentException(system + ": auth: expected one of " + String.join(", ", AUTHS) + " but was '" + auth + "'");
        }
        this.auth = mode;
        this.tokenEnv = tokenEnv;
        this.tokenFile = tokenFile;
        this.userEnv = userEnv;
        this.userFile = userFile;
        this.passwordEnv = passwordEnv;
        this.passwordFile = passwordFile;
        if (mode.equals("api-key") && (apiKeyHeader == null || apiKeyHeader.isBlank())) {
            throw new IllegalArgumentException(system + ": api-key-header: required with auth api-key");
        }
        this.apiKeyHeader = apiKeyHeader == null ? "" : apiKeyHeader.strip();
        headers();
    }

    /** The credential headers as of now (none for auth none). */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (auth) {
            case "bearer" -> headers.put("Authorization", "Bearer " + secret("token", tokenEnv, tokenFile));
            case "api-key" -> headers.put(apiKeyHeader, secret("token", tokenEnv, tokenFile));
            case "basic" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (secret("user", userEnv, userFile) + ":" + secret("password", passwordEnv, passwordFile)).getBytes(StandardCharsets.UTF_8)));
            default -> {
                // no credentials
            }
        }
        return headers;
    }

    private String secret(String what, String env, String file) {
        String variable = unset(env);
        String path = unset(file);
        if (variable.isEmpty() == path.isEmpty()) {
            throw new IllegalArgumentException(system + ": auth " + auth + " needs exactly one of " + what + "-env and " + what + "-file");
        }
        if (!variable.isEmpty()) {
            String value = System.getenv(variable);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(system + ": " + what + "-env: environment variable " + variable + " is not set");
            }
            return value.strip();
        }
        String value;
        try {
            value = Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(system + ": " + what + "-file: cannot read " + path + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(system + ": " + what + "-file: " + path + " is empty");
        }
        return value;
    }

    /** "-" stands for "not set": Camel template parameters cannot default to an empty string. */
    private static String unset(String parameter) {
        return parameter == null || "-".equals(parameter.strip()) ? "" : parameter.strip();
    }
}
