package io.customerhub.connect;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The connection pool (HikariCP) of one {@code jdbc-source} or {@code jdbc-sync} route, and the
 * checks of the parameters it is made from. Creating it connects to nothing: the pool is opened on
 * the first {@link #connection()}, so a database that is down when the daemon starts does not stop
 * it, and every later call fails fast instead. The password is read from its {@link Secret} when
 * the pool opens, so a rotated secret file is read on the route's next start; {@link #close()}
 * (the route stopped) closes the pool, and a later call opens a new one.
 */
public final class JdbcPool {

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)[?&;:]password=");

    private final String name;
    private final String url;
    private final String user;
    private final Secret password;
    private final int size;
    private final long connectTimeout;
    private final boolean readOnly;
    private volatile HikariDataSource pool;

    private JdbcPool(String name, String url, String user, Secret password, int size, long connectTimeout, boolean readOnly) {
        this.name = name;
        this.url = url;
        this.user = TemplateParameters.isSet(user) ? user : null;
        this.password = password;
        this.size = size;
        this.connectTimeout = connectTimeout;
        this.readOnly = readOnly;
    }

    /**
     * The pool of one route, not opened yet. The password parameters are checked now (see
     * {@link Secret#optional}): the password may be left out, and may be empty.
     *
     * @param owner          what the pool is for, starting the messages about its password: {@code source crm}, {@code sync erp}
     * @param name           the pool's name, in HikariCP's log lines and metrics
     * @param user           the database user, or not set ({@code "-"}) for none
     * @param connectTimeout how long getting a connection may take, in milliseconds
     * @param readOnly       whether the connections are read-only (a source's)
     * @throws IllegalArgumentException when the password parameters are wrong or name what cannot be read
     */
    public static JdbcPool of(String owner, String name, String url, String user, String passwordEnv, String passwordFile,
                              int size, long connectTimeout, boolean readOnly) {
        Secret password = Secret.optional(owner, "password", passwordEnv, passwordFile).orElse(null);
        return new JdbcPool(name, url, user, password, size, connectTimeout, readOnly);
    }

    /**
     * Checks a {@code url} parameter: a JDBC URL without a password in it.
     *
     * @throws IllegalArgumentException naming the parameter
     */
    public static void checkUrl(String url) {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url: expected a JDBC URL (jdbc:postgresql://..., jdbc:mariadb://..., jdbc:h2:...)");
        }
        if (PASSWORD_IN_URL.matcher(url).find()) {
            throw new IllegalArgumentException("url: holds a password; name it with password-env or password-file instead");
        }
    }

    /** @throws IllegalArgumentException naming the {@code url} parameter when no JDBC driver on the class path takes it */
    public static void checkDriver(String url) {
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("url: no JDBC driver for " + withoutParameters(url), e);
        }
    }

    /**
     * Checks the {@code pool-size} (at least 1) and {@code connect-timeout} (at least 250 ms) parameters.
     *
     * @throws IllegalArgumentException naming the parameter
     */
    public static void checkSize(int poolSize, long connectTimeout) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool-size: must be at least 1, not " + poolSize);
        }
        if (connectTimeout < 250) {
            throw new IllegalArgumentException("connect-timeout: at least 250 ms, not " + connectTimeout);
        }
    }

    /** {@code url} without its parameters (after {@code ?} or {@code ;}), fit for log lines and messages. */
    public static String withoutParameters(String url) {
        int end = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return url.substring(0, end);
    }

    /** The column labels of a result, lower case as mappings name them (PostgreSQL, MariaDB and H2 differ in case). */
    public static List<String> labels(ResultSetMetaData meta) throws SQLException {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            labels.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return labels;
    }

    /** Whether the pool has been opened (and not closed since). */
    public boolean isOpen() {
        return pool != null;
    }

    /**
     * A connection from the pool, opened on the first call; it never fails to be created, only a connection can.
     *
     * @throws SecretReadException when the pool opens and the password can no longer be read
     */
    public Connection connection() throws SQLException {
        return pool().getConnection();
    }

    private HikariDataSource pool() {
        HikariDataSource current = pool;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (pool == null) {
                HikariConfig config = new HikariConfig();
                config.setPoolName(name);
                config.setJdbcUrl(url);
                if (user != null) {
                    config.setUsername(user);
                }
                if (password != null) {
                    config.setPassword(password.read());
                }
                config.setMaximumPoolSize(size);
                config.setMinimumIdle(0);
                if (readOnly) {
                    config.setReadOnly(true);
                }
                // a database down at start must not stop the daemon: connect when asked, fail fast then
                config.setInitializationFailTimeout(-1);
                config.setConnectionTimeout(connectTimeout);
                pool = new HikariDataSource(config);
            }
            return pool;
        }
    }

    /** Closes the pool, if open; a later {@link #connection()} opens a new one. */
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
