package io.customerhub.connect;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
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

    /** The {@code auth} parameter's schemes. */
    enum Scheme { NONE, BEARER, BASIC, API_KEY }

    private final Scheme auth;
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
        Scheme mode;
        try {
            mode = TemplateParameters.choice("auth", auth, Scheme.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(system + ": " + e.getMessage(), e);
        }
        if (mode == Scheme.API_KEY && !TemplateParameters.isSet(apiKeyHeader)) {
            throw new IllegalArgumentException(system + ": api-key-header: required with auth api-key");
        }
        this.auth = mode;
        this.apiKeyHeader = TemplateParameters.unset(apiKeyHeader).strip();
        String owner = "source " + system;
        boolean tokens = mode == Scheme.BEARER || mode == Scheme.API_KEY;
        this.token = tokens ? Secret.required(owner, "token", tokenEnv, tokenFile) : null;
        this.user = mode == Scheme.BASIC ? Secret.required(owner, "user", userEnv, userFile) : null;
        this.password = mode == Scheme.BASIC ? Secret.required(owner, "password", passwordEnv, passwordFile) : null;
    }

    /** The credential headers as of now (none for auth none). */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (auth) {
            case BEARER -> headers.put("Authorization", "Bearer " + token.read());
            case API_KEY -> headers.put(apiKeyHeader, token.read());
            case BASIC -> headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user.read() + ":" + password.read()).getBytes(StandardCharsets.UTF_8)));
            case NONE -> {
                // no credentials
            }
        }
        return headers;
    }
}
