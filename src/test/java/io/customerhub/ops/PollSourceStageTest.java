package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PollSourceStageTest {

    @TempDir
    Path dir;

    RunningHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        ScriptedPolledSource.TABLE.clear();
        ScriptedPolledSource.down = false;
    }

    @Test
    void aSourceDownAtStartBacksOffAndCatchesUp() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Files.writeString(home.root().resolve("routes/sources/scripted.camel.yaml"), """
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
        for (int i = 0; i < 5; i++) {
            ScriptedPolledSource.TABLE.add("Person " + (char) ('A' + i));
        }
        ScriptedPolledSource.down = true;
        hub = RunningHub.start(home, Map.of("hub.poll.retry-delay", "200", "hub.poll.retry-max-delay", "400"));
        Thread.sleep(1500);
        assertThat(hub.query("SELECT * FROM customer_source")).isEmpty();
        assertThat(hub.bean("polledSources", PolledSources.class).down()).containsKey("erp");
        ScriptedPolledSource.down = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.query("SELECT * FROM customer_source").size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> "5".equals(hub.query("SELECT watermark FROM source_watermark").get(0).get("watermark")));
        System.out.println("SEEN " + ScriptedPolledSource.WATERMARKS_SEEN);
        ScriptedPolledSource.TABLE.add("Person F");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.query("SELECT * FROM customer_source").size() == 6);
    }
}
