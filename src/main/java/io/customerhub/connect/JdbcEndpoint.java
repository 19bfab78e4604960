package io.customerhub.connect;

import java.time.ZoneId;

/**
 * The parameters the {@code jdbc-source} and {@code jdbc-sync} templates share, declared once: which database, as whom,
 * through how large a pool, and the zone of its zoneless timestamps. Each of the two beans holds one, whose
 * {@link Option options} are the bean's own ({@link Option.Nested}).
 */
public final class JdbcEndpoint {

    @Option(name = "url", description = "JDBC URL of the database (jdbc:postgresql://..., jdbc:mariadb://..., "
            + "jdbc:h2:...), without a password.")
    private String url;
    @Option(name = "user", description = "Database user (\"-\" = none); a target's needs INSERT and UPDATE on the "
            + "table.", defaultValue = "-")
    private String user;
    @Option(name = "password-env", description = "the environment variable holding the password ('-' = none).",
            defaultValue = "-", secret = true)
    private String passwordEnv;
    @Option(name = "password-file", description = "a file holding the password, e.g. a Docker or Kubernetes secret "
            + "('-' = none).", defaultValue = "-", secret = true)
    private String passwordFile;
    @Option(name = "pool-size", description = "Connections in this system's pool.", defaultValue = "2")
    private int poolSize;
    @Option(name = "connect-timeout", description = "Milliseconds to wait for a connection before the poll or the "
            + "delivery fails.", defaultValue = "5000")
    private long connectTimeout;
    @Option(name = "time-zone", description = "Time zone of TIMESTAMP columns without a zone, e.g. UTC ('-' = the "
            + "database's, detected on the first connection); a target gets the stamps the database's now() would write.",
            defaultValue = "-")
    private String timeZone;

    /**
     * Checks {@code url} (a JDBC URL without a password in it), {@code pool-size} and {@code connect-timeout}, and returns
     * the zone {@code time-zone} names, or null to detect it.
     *
     * @throws IllegalArgumentException naming the parameter
     */
    public ZoneId check() {
        JdbcPool.checkUrl(url);
        JdbcPool.checkSize(poolSize, connectTimeout);
        return DatabaseZone.parameter(timeZone);
    }

    /** @throws IllegalArgumentException naming the {@code url} parameter when no JDBC driver on the class path takes it */
    public void checkDriver() {
        JdbcPool.checkDriver(url);
    }

    /**
     * A pool of connections to the database, which it opens on the first use; its password is read here.
     *
     * @param owner what the pool is for, starting the messages about its password: {@code source crm}, {@code sync erp}
     * @param name  the pool's name, in HikariCP's log lines and metrics
     */
    public JdbcPool open(String owner, String name, boolean readOnly) {
        return JdbcPool.of(owner, name, url, user, passwordEnv, passwordFile, poolSize, connectTimeout, readOnly);
    }

    public String url() {
        return url;
    }

    /** The database user, as log lines name it. */
    public String user() {
        return TemplateParameters.isSet(user) ? user : "(no user)";
    }

    public int poolSize() {
        return poolSize;
    }
}
