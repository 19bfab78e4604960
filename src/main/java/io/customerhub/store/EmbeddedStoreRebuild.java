package io.customerhub.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds an embedded H2 store that was not closed cleanly (kill -9, power loss) before it is used again.
 *
 * <p>H2 2.5 can leave, after a kill, a changed row on disk without its undo-log entry; a transaction after the
 * restart that takes the killed one's id then spins on that row's lock for good (docs/reliability.md). A store
 * written out as SQL and read into a new file has no such row. A marker file beside the store ({@code
 * <name>.in-use}) exists while a process has it open and is removed by a clean close, so a marker found at
 * start means the last process did not close it.
 *
 * <p>The rebuild writes a new database beside the old one and moves it over the old one in one rename: a kill
 * during the rebuild leaves the old store and the marker, and the next start rebuilds again.
 */
final class EmbeddedStoreRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreRebuild.class);
    /** How many pools of this JVM have each store open: a store open here is in use, not left by a killed process. */
    private static final Map<Path, Integer> OPEN = new HashMap<>();

    private final String url;
    private final Path database;
    private final String user;
    private final String password;

    private EmbeddedStoreRebuild(String url, Path database, String user, String password) {
        this.url = url;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /**
     * Before the store at {@code url} is opened: rebuilds it if its last process did not close it, then marks it
     * in use. Does nothing for a store that is not an embedded H2 file.
     */
    static synchronized void beforeOpen(String url, String user, String password) {
        Path database = databasePath(url);
        if (database == null) {
            return;
        }
        EmbeddedStoreRebuild store = new EmbeddedStoreRebuild(url, database, user, password);
        Path key = database.toAbsolutePath().normalize();
        try {
            if (!OPEN.containsKey(key) && Files.exists(store.marker()) && Files.exists(store.file(database))) {
                store.rebuild();
            }
            OPEN.merge(key, 1, Integer::sum);
            Files.createDirectories(database.toAbsolutePath().getParent());
            Files.writeString(store.marker(), "");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the store " + database, e);
        }
    }

    /** After a pool of the store at {@code url} was closed cleanly: once none is left, the next start need not rebuild it. */
    static synchronized void afterCleanClose(String url) {
        Path database = databasePath(url);
        if (database == null || OPEN.computeIfPresent(database.toAbsolutePath().normalize(), (key, n) -> n > 1 ? n - 1 : null) != null) {
            return; // another pool of this JVM still has it open
        }
        try {
            Files.deleteIfExists(marker(database));
        } catch (IOException e) {
            LOG.warn("Cannot remove the store's in-use marker {}: the next start rebuilds the store", marker(database), e);
        }
    }

    private void rebuild() throws IOException {
        Path copy = database.resolveSibling(database.getFileName() + "-rebuild");
        Path script = database.resolveSibling(database.getFileName() + "-rebuild.sql.gz");
        long started = System.nanoTime();
        LOG.warn("The store {} was not closed cleanly (the last process was killed or crashed): rebuilding it before use",
                database);
        // what an earlier rebuild, killed part way, left behind
        Files.deleteIfExists(file(copy));
        Files.deleteIfExists(script);
        try {
            run(url, "SCRIPT TO '" + sqlText(script) + "' COMPRESSION GZIP");
            run(url.replaceFirst(Pattern.quote(name(url)), Matcher.quoteReplacement(name(url) + "-rebuild")),
                    "RUNSCRIPT FROM '" + sqlText(script) + "' COMPRESSION GZIP");
            Files.move(file(copy), file(database), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("The store {} was rebuilt in {} ms", database, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | IOException e) {
            // another process has it open (opening the pool fails next, as it should), or no room for the copy:
            // the store is used as it is, which is what H2 alone would do
            LOG.error("The store {} could not be rebuilt and is used as it is: {}", database, e.getMessage());
            Files.deleteIfExists(file(copy));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Runs one statement on its own connection and closes the database after it. */
    private void run(String databaseUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
            statement.execute("SHUTDOWN");
        }
    }

    private Path marker() {
        return marker(database);
    }

    private static Path marker(Path database) {
        return database.resolveSibling(database.getFileName() + ".in-use");
    }

    private Path file(Path base) {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    private static String sqlText(Path path) {
        return path.toAbsolutePath().toString().replace("'", "''");
    }

    /**
     * The database path of an embedded H2 file URL ({@code jdbc:h2:file:./data/hub;WRITE_DELAY=0} gives {@code
     * ./data/hub}), or null for any other store.
     */
    static Path databasePath(String url) {
        if (!StoreDataSource.embedded(url) || url.startsWith("jdbc:h2:mem:")) {
            return null;
        }
        String name = name(url);
        name = name.startsWith("file:") ? name.substring("file:".length()) : name;
        if (name.contains(":")) {
            return null; // another H2 file system (split:, nio:, zip:, ...): left as it is
        }
        return Path.of(name.startsWith("~") ? System.getProperty("user.home") + name.substring(1) : name);
    }

    /** The database name as the URL writes it: between {@code jdbc:h2:} and the first option. */
    private static String name(String url) {
        String name = url.substring("jdbc:h2:".length());
        int options = name.indexOf(';');
        return options < 0 ? name : name.substring(0, options);
    }
}
