package io.customerhub.ops;

import io.customerhub.store.CustomerStore;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The merge sweep takes up what a crash left in golden_pending, whatever its size. */
class MergeSweepTest {

    @TempDir
    Path dir;

    @Test
    void oneGoldenRecordLeftPendingIsMergedAsAreMany() {
        HubHome home = HubHome.copyOfProject(dir);
        home.dropSample("crm", "customers-20261125.csv");
        try (RunningHub hub = RunningHub.start(home, Map.of("hub.merge.sweep-interval", "1000", "hub.merge.completion-size", "2"))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> hub.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n")
                    .equals(6L) && hub.query("SELECT * FROM golden_pending").isEmpty());
            List<Map<String, Object>> records = hub.query("SELECT customer_id, source, source_key FROM customer_source ORDER BY source_key");

            // one left pending (Camel's collate wrapped it in a list of its own, and the merge stage failed on it for good)
            pending(hub, records.get(0));
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.query("SELECT * FROM golden_pending").isEmpty());

            // five: groups of two, two and one
            records.subList(1, 6).forEach(record -> pending(hub, record));
            assertThat(hub.bean("customerStore", CustomerStore.class).pendingMergeGroups(2)).extracting(List::size)
                    .containsExactly(2, 2, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.query("SELECT * FROM golden_pending").isEmpty());
        }
    }

    private static void pending(RunningHub hub, Map<String, Object> record) {
        hub.update("INSERT INTO golden_pending (customer_id, source, source_key, queued_at) VALUES (?, ?, ?, ?)",
                record.get("customer_id"), record.get("source"), record.get("source_key"), OffsetDateTime.now());
    }
}
