package io.customerhub.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.StoreDataSource;
import io.customerhub.store.StoreSettings;
import io.customerhub.testing.ClosedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The store watch on a real H2 store that is closed under it, with a clock the test moves. */
class StoreWatchTest {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private Instant now = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void routesArePausedWhileTheStoreFailsAndResumedOnceAProbeCommitsAndAStoreFailingAgainSoonWaitsLonger() throws Exception {
        try (HikariDataSource dataSource = StoreDataSource.open(new StoreSettings("jdbc:h2:file:" + dir.resolve("store"), "sa", "", 4));
             CamelContext camel = new DefaultCamelContext()) {
            CustomerStore store = new CustomerStore(dataSource);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("timer:crm?period=3600000").routeId("crm-ingest").log("poll");
                    from("timer:crm-out?period=3600000").routeId("crm-sync").log("sync");
                    from("timer:other?period=3600000").routeId("report").log("report");
                }
            });
            camel.start();
            StoreWatch watch = new StoreWatch(store.health(), INTERVAL, new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            });
            watch.setCamelContext(camel);

            // an operator's pause is not the watch's to undo
            camel.getRouteController().suspendRoute("crm-sync");
            watch.check();
            assertThat(states(camel)).containsExactly(ServiceStatus.Started, ServiceStatus.Suspended, ServiceStatus.Started);
            camel.getRouteController().resumeRoute("crm-sync");

            ClosedStore.closeUnder(dataSource, store);
            watch.check();
            assertThat(states(camel)).containsExactly(ServiceStatus.Suspended, ServiceStatus.Suspended, ServiceStatus.Started);
            assertThat(watch.callReadiness().getState()).isEqualTo(HealthCheck.State.DOWN);

            now = now.plus(INTERVAL);
            watch.check();
            assertThat(states(camel)).as("resumed once the probe committed")
                    .containsExactly(ServiceStatus.Started, ServiceStatus.Started, ServiceStatus.Started);
            assertThat(watch.callReadiness().getState()).isEqualTo(HealthCheck.State.UP);

            // fails again within a minute of resuming (a disk with room for the probe but not for a batch): the next
            // probe waits twice the interval, then four times
            for (int relapse = 1; relapse <= 2; relapse++) {
                now = now.plusSeconds(10);
                ClosedStore.closeUnder(dataSource, store);
                watch.check();
                Duration holdOff = INTERVAL.multipliedBy(1L << relapse);
                now = now.plus(holdOff).minusMillis(1);
                watch.check();
                assertThat(states(camel)).as("relapse %d: no probe before %s", relapse, holdOff)
                        .containsExactly(ServiceStatus.Suspended, ServiceStatus.Suspended, ServiceStatus.Started);
                now = now.plusMillis(1);
                watch.check();
                assertThat(states(camel)).as("relapse %d: resumed after %s", relapse, holdOff)
                        .containsExactly(ServiceStatus.Started, ServiceStatus.Started, ServiceStatus.Started);
            }

            // a failure long after the last recovery is no relapse: one interval again
            now = now.plus(Duration.ofMinutes(2));
            ClosedStore.closeUnder(dataSource, store);
            watch.check();
            now = now.plus(INTERVAL);
            watch.check();
            assertThat(states(camel)).containsExactly(ServiceStatus.Started, ServiceStatus.Started, ServiceStatus.Started);
        }
    }

    private static List<ServiceStatus> states(CamelContext camel) {
        return Stream.of("crm-ingest", "crm-sync", "report")
                .map(id -> camel.getRouteController().getRouteStatus(id)).toList();
    }
}
