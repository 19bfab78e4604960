package io.customerhub.ingest;

import io.customerhub.ops.IngestStatistics;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.SyntheticPeople;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A file deleted from the inbox by another program while the hub reads it: the records are read from the open file
 * and stored, and the file, which cannot be archived, ends with a reason in {@code failed/} and is counted, instead of
 * an archiving error.
 */
class VanishingFileTest {

    @TempDir
    Path dir;

    @Test
    void aFileDeletedWhileItIsReadHasItsRecordsStoredAndEndsWithAReasonInTheFailedFolder() throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir.resolve("people"), 30_000, 7);
        Path people = data.files().get(0);
        long rows = Files.readAllLines(people).size() - 1;
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        home.declareFileSource("people", "csv", SyntheticPeople.MAPPING, false);
        try (RunningHub hub = RunningHub.start(home, Map.of("hub.ingest.batch-size", "50"))) {
            Path file = home.drop("people", "people.csv", Files.readAllBytes(people));
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(hub) > 0);
            Files.delete(file);

            await().atMost(Duration.ofSeconds(120)).until(() -> !home.files("failed", "people").isEmpty());
            assertThat(stored(hub)).as("every record, read from the open file").isEqualTo(rows);
            List<Path> failed = home.files("failed", "people");
            assertThat(failed).singleElement().satisfies(reason -> {
                assertThat(reason.getFileName().toString()).endsWith("people.csv.reason.txt");
                assertThat(Files.readString(reason)).startsWith("the file vanished from the inbox while it was read");
            });
            assertThat(home.files("done", "people")).isEmpty();
            assertThat(hub.bean("ingestStatistics", IngestStatistics.class).summary()).containsPattern("people +" + rows + " .* 1\\n");
        }
    }

    private static long stored(RunningHub hub) {
        return (Long) hub.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n");
    }
}
