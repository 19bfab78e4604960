package io.customerhub.testing;

import io.customerhub.app.CustomerHub;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.apache.camel.main.Main;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The real hub (settings, routes, beans) running in the test's JVM on a {@link HubHome}, with
 * polling tuned for tests. Close it to stop Camel and release the H2 store.
 */
public final class RunningHub implements AutoCloseable {

    private final Main main;

    private RunningHub(Main main) {
        this.main = main;
    }

    public static RunningHub start(HubHome home, Map<String, String> overrides) {
        Main main = CustomerHub.newMain(home.root());
        main.addOverrideProperty("hub.file.poll-delay", "100");
        main.addOverrideProperty("hub.file.read-lock-check-interval", "100");
        main.addOverrideProperty("hub.file.read-lock-min-age", "0");
        main.addOverrideProperty("camel.management.enabled", "false");
        // the webhook server on a free port, so that parallel test runs do not compete for 8080
        main.addOverrideProperty("camel.server.port", "0");
        overrides.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("the hub did not start", e);
        }
        return new RunningHub(main);
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        return main.lookup(name, type);
    }

    /**
     * Waits until route {@code routeId} has run {@code runs} more times than now (its exchanges, done or failed): to
     * show that something did not happen, wait until the route that would have done it has had its chances.
     */
    public void awaitRuns(String routeId, int runs) {
        ManagedRouteMBean route = camel().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(routeId);
        if (route == null) {
            throw new IllegalArgumentException("no managed route " + routeId);
        }
        long target = route.getExchangesTotal() + runs;
        await("route " + routeId + " to run " + runs + " more times").atMost(Duration.ofSeconds(60))
                .until(() -> route.getExchangesTotal() >= target);
    }

    /** Rows of a query against the running hub's store. */
    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = bean("storeDataSource", DataSource.class).getConnection()) {
            return HubHome.rows(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement against the running hub's store (tests that break and mend it). */
    public int update(String sql, Object... parameters) {
        try (Connection connection = bean("storeDataSource", DataSource.class).getConnection();
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
