package io.customerhub.connect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The credentials of an HTTP API as template parameters declare them ({@code auth} none, bearer,
 * basic or api-key, each secret from its {@code <what>-env} or {@code <what>-file} parameter), turned
 * into request headers, the one scheme of the {@code http-source} and {@code http-sync} templates
 * ({@link HttpConnection} holds it). The constructor checks the
 * parameters and reads the secrets once, so a missing one fails route creation; {@link #headers()}
 * reads them again, so a rotated secret file needs no restart. Messages name the route's system,
 * the parameter and the variable or file, never a value.
 */
final class HttpAuth {

    static final List<String> AUTHS = List.of("none", "bearer", "basic", "api-key");

    private final String auth;
    private final String apiKeyHeader;
    private final Secret token;
    private final Secret user;
    private final Secret password;

    /**
     * @param system the source or target the credentials are for, named in messages
     * @throws IllegalArgumentException when a parameter is wrong or a secret cannot be read
     */
    HttpAuth(String system, String auth, String tokenEnv, String tokenFile, String userEnv, String userFile,
                    String passwordEnv, String passwordFile, String apiKeyHeader) {
        String mode = auth == null ? "" : auth.strip().toLowerCase(Locale.ROOT);
        if (!AUTHS.contains(mode)) {
            throw new IllegalArgumentException(system + ": auth: expected one of " + String.join(", ", AUTHS) + " but was '" + auth + "'");
        }
        if (mode.equals("api-key") && !TemplateParameters.isSet(apiKeyHeader)) {
            throw new IllegalArgumentException(system + ": api-key-header: required with auth api-key");
        }
        this.auth = mode;
        this.apiKeyHeader = TemplateParameters.unset(apiKeyHeader).strip();
        String owner = "source " + system;
        boolean tokens = mode.equals("bearer") || mode.equals("api-key");
        this.token = tokens ? Secret.required(owner, "token", tokenEnv, tokenFile) : null;
        this.user = mode.equals("basic") ? Secret.required(owner, "user", userEnv, userFile) : null;
        this.password = mode.equals("basic") ? Secret.required(owner, "password", passwordEnv, passwordFile) : null;
    }

    /** The credential headers as of now (none for auth none). */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (auth) {
            case "bearer" -> headers.put("Authorization", "Bearer " + token.read());
            case "api-key" -> headers.put(apiKeyHeader, token.read());
            case "basic" -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user.read() + ":" + password.read()).getBytes(StandardCharsets.UTF_8)));
            default -> {
                // no credentials
            }
        }
        return headers;
    }
}
