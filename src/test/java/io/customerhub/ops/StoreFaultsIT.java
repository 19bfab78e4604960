package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RequiredService;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.SyntheticCustomers;
import io.customerhub.testing.TcpForwarder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store's disk fills up in the middle of a load, on a real file system (a 512 MB tmpfs, filled but for 3 MB): the hub says so in readiness,
 * keeps the file in its inbox instead of failing it, and once space is freed goes on by itself, losing nothing.
 */
@Tag("break-it")
class StoreFaultsIT {

    private static final int ROWS = 20_000;
    private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRES_USER = "postgres";

    @TempDir
    Path dir;

    private Path disk;
    private TcpForwarder proxy;
    private String schema;
    private RunningHub hub;

    private void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        if (mount.waitFor() != 0) {
            throw RequiredService.missing("a small file system to fill (mount -t tmpfs, as root): "
                    + new String(mount.getInputStream().readAllBytes()).strip());
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (disk != null) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (schema != null) {
            postgres("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void aFullDiskShowsInReadinessKeepsTheFileAndTheHubGoesOnByItselfOnceThereIsSpace() throws Exception {
        mountASmallDisk();
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        hub = RunningHub.start(home, Map.of("hub.store.url", "jdbc:h2:file:" + disk.resolve("store/customer-hub") + ";WRITE_DELAY=0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness("store") == HealthCheck.State.UP);
        Path filler = fill(disk, 3 * 1024 * 1024);
        Path file = dir.resolve("big.csv");
        SyntheticCustomers.write(file, ROWS);

        home.drop("crm", "big.csv", Files.readAllBytes(file));

        await("the store's full disk in readiness").atMost(Duration.ofMinutes(2))
                .until(() -> readiness("store") == HealthCheck.State.DOWN);
        assertThat(home.files("failed", "crm")).as("the file is not to blame").isEmpty();

        Files.delete(filler);

        await("the load, finished by itself").atMost(Duration.ofMinutes(3))
                .until(() -> home.files("done", "crm").size() == 1 && readiness("store") == HealthCheck.State.UP);
        assertThat(hub.query("SELECT COUNT(*) AS n, COUNT(DISTINCT source_key) AS k FROM customer_source").get(0))
                .containsEntry("n", (long) ROWS).containsEntry("k", (long) ROWS);
        assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine").get(0)).containsEntry("n", 0L);
    }

    @Test
    void aPostgresStoreCutOffMidLoadShowsInReadinessAndTheLoadEndsByItselfOnceTheNetworkIsBack() throws Exception {
        schema = "hub_faults_" + Long.toHexString(System.nanoTime());
        postgres("CREATE SCHEMA " + schema);
        proxy = new TcpForwarder(5432);
        proxy.start();
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        hub = RunningHub.start(home, Map.of("hub.store.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema="
                + schema, "hub.store.user", POSTGRES_USER, "hub.ingest.batch-size", "200"));
        Path file = dir.resolve("big.csv");
        SyntheticCustomers.write(file, ROWS);

        home.drop("crm", "big.csv", Files.readAllBytes(file));
        await().atMost(Duration.ofMinutes(1)).until(() -> count("customer_source") > 0);
        proxy.close();

        await("the unreachable store in readiness").atMost(Duration.ofMinutes(2))
                .until(() -> readiness("store") == HealthCheck.State.DOWN);
        assertThat(count("customer_source")).as("cut off in the middle of the file").isLessThan(ROWS);
        assertThat(home.files("failed", "crm")).as("the file is not to blame").isEmpty();

        proxy.start();

        await("the load, finished by itself").atMost(Duration.ofMinutes(3))
                .until(() -> home.files("done", "crm").size() == 1 && readiness("store") == HealthCheck.State.UP);
        assertThat(count("customer_source")).isEqualTo(ROWS);
        assertThat(count("(SELECT DISTINCT source_key FROM customer_source) k")).isEqualTo(ROWS);
        assertThat(count("quarantine")).isZero();
    }

    /** Rows of a table of the test's PostgreSQL schema, read past the proxy. */
    private long count(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL + "?currentSchema=" + schema, POSTGRES_USER, "");
             ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void postgres(String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw RequiredService.missing("PostgreSQL at " + POSTGRES_URL + ": " + e.getMessage());
        }
    }

    private HealthCheck.State readiness(String check) {
        return HealthCheckRegistry.get(hub.camel()).getCheck(check).orElseThrow().callReadiness().getState();
    }

    /** A file that takes all of the file system's space but {@code left} bytes. */
    private static Path fill(Path disk, long left) throws IOException {
        Path filler = disk.resolve("filler");
        long free = Files.getFileStore(disk).getUsableSpace();
        try (RandomAccessFile out = new RandomAccessFile(filler.toFile(), "rw")) {
            byte[] block = new byte[1024 * 1024];
            for (long written = 0; written < free - left; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, free - left - written));
            }
        }
        return filler;
    }
}
