package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared {@code poll-source} stage with a scripted source in the real daemon: the watermark
 * moves only with committed batches, a failing source backs off and resumes where it stopped.
 */
class PollSourceStageTest {

    @TempDir
    Path dir;

    HubHome home;
    RunningHub hub;

    @BeforeEach
    void declareSource() throws IOException {
        ScriptedPolledSource.reset();
        home = HubHome.copyOfProject(dir);
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), """
                - routeTemplate:
                    id: scripted-source
                    parameters:
                      - name: source
                    beans:
                      - name: records
                        type: "#class:io.customerhub.ops.ScriptedPolledSource"
                        properties:
                          source: "{{source}}"
                    route:
                      from:
                        uri: "timer:{{source}}-poll"
                        parameters:
                          period: 100
                          delay: 0
                        steps:
                          - setProperty:
                              name: hubSource
                              constant: "{{source}}"
                          - setBody:
                              method:
                                ref: "{{records}}"
                                method: reader
                          - to: direct:poll-source
                - templatedRoute:
                    routeTemplateRef: scripted-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                """);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        ScriptedPolledSource.reset();
    }

    @Test
    void aSourceDownAtStartBacksOffThenReadsEverythingOnce() throws InterruptedException {
        addRows(5);
        ScriptedPolledSource.down = true;
        hub = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> ScriptedPolledSource.WATERMARKS_ASKED.size() >= 3);
        assertThat(hub.bean("polledSources", PolledSources.class).down()).containsEntry("erp", "Connection refused (scripted)");
        assertThat(hub.query("SELECT * FROM customer_source")).isEmpty();
        MeterRegistry meters = hub.camel().getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(meters.get("hub.source.consecutive.failures").tags("source", "erp").gauge().value()).isGreaterThanOrEqualTo(2.0);

        ScriptedPolledSource.down = false;
        // the poll commits the watermark with its records and then records its success: wait for both
        PolledSources sources = hub.bean("polledSources", PolledSources.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().equals("5") && sources.down().isEmpty());
        assertThat(keys()).containsExactly("K0", "K1", "K2", "K3", "K4");
        assertThat(meters.get("hub.source.consecutive.failures").tags("source", "erp").gauge().value()).isZero();
        assertThat(meters.get("hub.source.seconds.since.caught.up").tags("source", "erp").gauge().value()).isBetween(0.0, 5.0);

        addRows(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().equals("6"));
        assertThat(keys()).hasSize(6).doesNotHaveDuplicates();
        // polls after the outage start from the committed watermark, never from the beginning again
        List<String> asked = List.copyOf(ScriptedPolledSource.WATERMARKS_ASKED);
        assertThat(asked.lastIndexOf("null")).isLessThan(asked.indexOf("5"));
    }

    @Test
    void aPollThatBreaksOffKeepsWhatItStoredAndResumesAfterIt() {
        addRows(5);
        ScriptedPolledSource.failAfterBatches = 1;
        hub = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub.bean("polledSources", PolledSources.class).down().isEmpty());
        assertThat(watermark()).isEqualTo("2");
        assertThat(keys()).containsExactly("K0", "K1");

        ScriptedPolledSource.failAfterBatches = -1;
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().equals("5"));
        assertThat(keys()).containsExactly("K0", "K1", "K2", "K3", "K4");
        assertThat(ScriptedPolledSource.WATERMARKS_ASKED).contains("2");
    }

    @Test
    void aBatchThatCannotBeStoredLeavesTheWatermarkAndIsReadAgain() {
        addRows(2);
        hub = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().equals("2"));

        hub.update("ALTER TABLE customer_source RENAME TO customer_source_away");
        addRows(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !hub.bean("polledSources", PolledSources.class).down().isEmpty());
        assertThat(watermark()).isEqualTo("2");

        hub.update("ALTER TABLE customer_source_away RENAME TO customer_source");
        await().atMost(Duration.ofSeconds(10)).until(() -> watermark().equals("4"));
        assertThat(keys()).containsExactly("K0", "K1", "K2", "K3");
    }

    private RunningHub start() {
        return RunningHub.start(home, Map.of("hub.poll.retry-delay", "200", "hub.poll.retry-max-delay", "400"));
    }

    private static void addRows(int count) {
        for (int i = 0; i < count; i++) {
            ScriptedPolledSource.TABLE.add("Person " + (char) ('A' + ScriptedPolledSource.TABLE.size()));
        }
    }

    private String watermark() {
        List<Map<String, Object>> rows = hub.query("SELECT watermark FROM source_watermark WHERE source = 'erp'");
        return rows.isEmpty() ? "" : rows.get(0).get("watermark").toString();
    }

    private List<Object> keys() {
        return hub.query("SELECT source_key FROM customer_source WHERE source = 'erp' ORDER BY source_key").stream()
                .map(row -> row.get("source_key")).toList();
    }
}
