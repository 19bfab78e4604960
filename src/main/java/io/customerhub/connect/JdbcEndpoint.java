package io.customerhub.connect;

import java.time.ZoneId;

/**
 * The parameters the {@code jdbc-source} and {@code jdbc-sync} templates share, declared once: which database, as whom,
 * through how large a pool, and the zone of its zoneless timestamps. Each of the two beans holds one, which its
 * template configures through the nested properties {@code endpoint.<name>}.
 */
public final class JdbcEndpoint {

    private String url;
    private String user = "-";
    private String passwordEnv = "-";
    private String passwordFile = "-";
    private int poolSize = 2;
    private long connectTimeout = 5000;
    private String timeZone = "-";

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

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
