package io.customerhub.connect;

/**
 * The parameters the {@code http-source} and {@code http-sync} templates share, declared once: how an API is reached
 * (credentials, timeouts, retries). Each of the two beans holds one, whose {@link Option options} are the bean's
 * own ({@link Option.Nested}); {@link #connect} checks them and builds the {@link HttpConnection}.
 * Timeouts and delays are in milliseconds.
 */
public final class HttpEndpoint {

    @Option(name = "auth", description = "none, bearer (token), basic (user and password) or api-key (token in "
            + "api-key-header).", defaultValue = "none")
    private String auth;
    @Option(name = "token-env", description = "Environment variable holding the bearer token or API key (\"-\" = not "
            + "used).", defaultValue = "-", secret = true)
    private String tokenEnv;
    @Option(name = "token-file", description = "File holding the bearer token or API key, e.g. a mounted Docker or "
            + "Kubernetes secret (\"-\" = not used).", defaultValue = "-", secret = true)
    private String tokenFile;
    @Option(name = "user-env", description = "Environment variable holding the basic-auth user (\"-\" = not used).",
            defaultValue = "-", secret = true)
    private String userEnv;
    @Option(name = "user-file", description = "File holding the basic-auth user (\"-\" = not used).", defaultValue = "-", secret = true)
    private String userFile;
    @Option(name = "password-env", description = "Environment variable holding the basic-auth password (\"-\" = not "
            + "used).", defaultValue = "-", secret = true)
    private String passwordEnv;
    @Option(name = "password-file", description = "File holding the basic-auth password (\"-\" = not used).",
            defaultValue = "-", secret = true)
    private String passwordFile;
    @Option(name = "api-key-header", description = "Header carrying the API key (auth api-key).",
            defaultValue = "X-API-Key")
    private String apiKeyHeader;
    @Option(name = "connect-timeout", description = "Milliseconds to wait for a connection.", defaultValue = "5000")
    private int connectTimeout;
    @Option(name = "read-timeout", description = "Milliseconds to wait for a whole answer once the request is sent.",
            defaultValue = "30000")
    private int readTimeout;
    @Option(name = "max-attempts", description = "Attempts per request (a page read, a change written) before it "
            + "fails: I/O errors and HTTP 429, 500, 502, 503, 504 are retried, other statuses fail at once.",
            defaultValue = "3")
    private int maxAttempts;
    @Option(name = "retry-delay", description = "Milliseconds before the second attempt, doubled for each further "
            + "one; Retry-After on 429 and 503 wins.", defaultValue = "1000")
    private int retryDelay;
    @Option(name = "retry-max-delay", description = "Milliseconds waited at most between two attempts, Retry-After "
            + "included.", defaultValue = "30000")
    private int retryMaxDelay;

    /**
     * The connection of {@code system} with these parameters; its secrets are read once here, so that a bad one fails
     * route creation.
     *
     * @throws IllegalArgumentException naming {@code system} and the parameter when one is wrong or a secret cannot be read
     */
    public HttpConnection connect(String system) {
        HttpConnection.positive(system, "connect-timeout", connectTimeout);
        HttpConnection.positive(system, "read-timeout", readTimeout);
        HttpConnection.positive(system, "max-attempts", maxAttempts);
        if (retryDelay < 0 || retryMaxDelay < retryDelay) {
            throw new IllegalArgumentException(system + ": retry-delay must be at least 0 and retry-max-delay at least retry-delay");
        }
        HttpAuth credentials = new HttpAuth(system, auth, tokenEnv, tokenFile, userEnv, userFile, passwordEnv, passwordFile,
                apiKeyHeader);
        return new HttpConnection(credentials, connectTimeout, readTimeout, maxAttempts, retryDelay, retryMaxDelay);
    }
}
