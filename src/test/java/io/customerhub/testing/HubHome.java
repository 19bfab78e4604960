package io.customerhub.testing;

import io.customerhub.app.FileTree;
import io.customerhub.ops.SourceRoutes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A customer-hub home for tests: a copy of the project's real {@code config/} and
 * {@code routes/} in a temporary folder, plus ways to drop files into inboxes the way a
 * well-behaved producer does (write elsewhere, then rename) and to read the store.
 */
public final class HubHome {

    /** The project directory, where the build runs: its config, routes and samples. */
    public static final Path PROJECT = Path.of("").toAbsolutePath();
    /**
     * The changes a target has still to be sent (target, customer_id, payload, status): those of the change log after
     * its cursor, and its outbox rows waiting or failed. Empty once every target has read and delivered everything.
     */
    public static final String UNDELIVERED = "SELECT k.target, c.customer_id, c.payload, 'PENDING' AS status"
            + " FROM sync_cursor k JOIN sync_change c ON c.seq > k.seq WHERE c.only_to IS NULL OR c.only_to LIKE '%,' || k.target || ',%'"
            + " UNION ALL SELECT o.target, o.customer_id, c.payload, o.status FROM sync_outbox o JOIN sync_change c"
            + " ON c.id = o.change_id WHERE o.status IN ('PENDING', 'FAILED')";
    /** The demo's ERP database source and CRM export: the parts of the demo beyond the file sources. */
    private static final List<String> DEMO_EXTRAS = List.of("routes/sources/erp.camel.yaml", "routes/sources/crm-sync.camel.yaml");

    private final Path root;
    /** The store's JDBC URL and user when not the embedded H2 store under {@code data/store}; null for that. */
    private final String storeUrl;
    private final String storeUser;

    private HubHome(Path root, String storeUrl, String storeUser) {
        this.root = root;
        this.storeUrl = storeUrl;
        this.storeUser = storeUser;
    }

    /** This home with its store elsewhere ({@code hub.store.url}, a user without a password); see {@link #storeOptions()}. */
    public HubHome withStore(String url, String user) {
        return new HubHome(root, url, user);
    }

    /** The JVM options that point the packaged daemon at this home's store: none for the default H2 store. */
    public List<String> storeOptions() {
        return storeUrl == null ? List.of() : List.of("-Dhub.store.url=" + storeUrl, "-Dhub.store.user=" + storeUser);
    }

    /**
     * A home under {@code dir} with the project's config and routes, but without the demo's ERP
     * database source and CRM export, so a test sees only what it drops or declares itself.
     */
    public static HubHome copyOfProject(Path dir) {
        HubHome home = demo(dir);
        try {
            for (String extra : DEMO_EXTRAS) {
                Files.delete(dir.resolve(extra));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    /** A home under {@code dir} as the README's first run has it: config, routes (every demo source) and samples. */
    public static HubHome demo(Path dir) {
        copyTree(PROJECT.resolve("config"), dir.resolve("config"));
        copyTree(PROJECT.resolve("routes"), dir.resolve("routes"));
        copyTree(PROJECT.resolve("samples"), dir.resolve("samples"));
        return new HubHome(dir, null, null);
    }

    public Path root() {
        return root;
    }

    public Path data(String first, String... more) {
        return root.resolve("data").resolve(Path.of(first, more));
    }

    /** The JDBC URL of the home's store: its H2 store (what the default settings resolve to) unless set elsewhere. */
    public String storeUrl() {
        return storeUrl != null ? storeUrl : "jdbc:h2:file:" + data("store", "customer-hub");
    }

    private String storeUser() {
        return storeUser != null ? storeUser : "sa";
    }

    /**
     * Declares file source {@code source} ({@code routes/sources/<source>.camel.yaml}, replacing the
     * demo's file of that name): the {@code file-source} template with {@code mapping}, and with
     * {@code sync} its {@code file-sync} export too.
     */
    public void declareFileSource(String source, String format, String mapping, boolean sync) {
        String routes = SourceRoutes.fileSourceDeclaration(source, format, mapping, sync);
        try {
            Files.writeString(root.resolve("routes/sources").resolve(source + ".camel.yaml"), routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops {@code content} as {@code inbox/<source>/<name>}: written to a hidden file first, then renamed. */
    public Path drop(String source, String name, byte[] content) {
        try {
            Path inbox = Files.createDirectories(data("inbox", source));
            Path hidden = inbox.resolve("." + name + ".part");
            Files.write(hidden, content);
            return Files.move(hidden, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops a copy of the project's sample file {@code samples/inbox/<source>/<name>}. */
    public Path dropSample(String source, String name) {
        try {
            return drop(source, name, Files.readAllBytes(PROJECT.resolve("samples/inbox").resolve(source).resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Files under {@code data/<folder>/<source>/}, recursively. A running hub moves files out of its inboxes while they
     * are listed: a file that vanished during the walk is walked past again.
     */
    public List<Path> files(String folder, String source) {
        Path dir = data(folder, source);
        while (true) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).sorted().toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e;
                }
            } catch (NoSuchFileException e) {
                // the folder itself went: listed again, as not there
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Rows of a query against the store of a hub that is not running (H2 allows one process). */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(storeUrl(), storeUser(), "")) {
            return rows(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an update against the store of a hub that is not running, as a data steward would. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(storeUrl(), storeUser(), "");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of {@code sql} on {@code connection}, column labels lower-cased. */
    public static List<Map<String, Object>> rows(Connection connection, String sql, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return rows(statement.executeQuery());
        }
    }

    private static List<Map<String, Object>> rows(ResultSet result) throws SQLException {
        try (ResultSet rs = result) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static void copyTree(Path from, Path to) {
        try {
            FileTree.copy(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
