package io.customerhub.connect;

/**
 * The parameters the {@code http-source} and {@code http-sync} templates share, declared once: how an API is reached
 * (credentials, timeouts, retries). Each of the two beans holds one, which its template configures through the
 * nested properties {@code endpoint.<name>}; {@link #connect} checks them and builds the {@link HttpConnection}.
 * Timeouts and delays are in milliseconds.
 */
public final class HttpEndpoint {

    private String auth = "none";
    private String tokenEnv = "-";
    private String tokenFile = "-";
    private String userEnv = "-";
    private String userFile = "-";
    private String passwordEnv = "-";
    private String passwordFile = "-";
    private String apiKeyHeader = "X-API-Key";
    private int connectTimeout = 5000;
    private int readTimeout = 30000;
    private int maxAttempts = 3;
    private int retryDelay = 1000;
    private int retryMaxDelay = 30000;

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

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public void setTokenEnv(String tokenEnv) {
        this.tokenEnv = tokenEnv;
    }

    public void setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
    }

    public void setUserEnv(String userEnv) {
        this.userEnv = userEnv;
    }

    public void setUserFile(String userFile) {
        this.userFile = userFile;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
        this.apiKeyHeader = apiKeyHeader;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public void setRetryDelay(int retryDelay) {
        this.retryDelay = retryDelay;
    }

    public void setRetryMaxDelay(int retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }
}
