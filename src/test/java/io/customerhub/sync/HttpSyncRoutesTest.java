package io.customerhub.sync;

import io.customerhub.record.CanonicalField;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real http-sync template loaded from {@code routes/} the way the daemon does, next to the
 * http-source route of the same system sharing its mapping through a YAML anchor. The sync-target
 * stage is the lead's: here a stand-in hands on what the route sends it, and the test writes
 * through the writer it received to a real HTTP server.
 */
class HttpSyncRoutesTest {

    @TempDir
    Path dir;

    SalesTarget api;
    RunningHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void syncRouteHandsItsWriterToTheSyncTargetStageEveryInterval() throws Exception {
        api = new SalesTarget();
        Path token = Files.writeString(dir.resolve("sales-token"), SalesTarget.TOKEN);
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        writeSalesFile(home, token);
        Files.writeString(home.root().resolve("routes/stages/sync-target-stand-in.camel.yaml"), """
                - route:
                    id: sync-target-stand-in
                    description: "Test stand-in for the sync-target stage: hands on what it is sent"
                    from:
                      uri: direct:sync-target
                      steps:
                        - to: seda:sync-target-seen
                """);

        hub = RunningHub.start(home, Map.of("hub.sync.interval", "200"));

        assertThat(hub.camel().getRoute("sales-sync").getDescription()).isNotBlank();
        assertThat(hub.camel().getRoute("sales-ingest")).isNotNull();
        ConsumerTemplate consumer = hub.camel().createConsumerTemplate();
        Exchange first = consumer.receive("seda:sync-target-seen", 5000);
        Exchange second = consumer.receive("seda:sync-target-seen", 5000);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first.getProperty("hubTarget")).isEqualTo("sales");
        SyncWriter writer = first.getMessage().getBody(SyncWriter.class);
        assertThat(writer).isInstanceOf(HttpSyncWriter.class).isSameAs(second.getMessage().getBody());
        assertThat(writer.fields()).contains(CanonicalField.SOURCE_KEY, CanonicalField.EMAIL, CanonicalField.PHONE);

        List<String> outcomes = writer.write(List.of(new OutboundChange(1, "sales", "G1", "G1", true, false,
                Map.of(CanonicalField.FULL_NAME, "Han Meimei", CanonicalField.EMAIL, "hmm@example.com"), Instant.now())));

        assertThat(outcomes).containsExactly((String) null);
        SalesTarget.Seen post = api.seen.stream().filter(s -> s.method().equals("POST")).findFirst().orElseThrow();
        assertThat(post.body()).isEqualTo("{\"id\":\"G1\",\"name\":\"Han Meimei\",\"contact\":{\"email\":\"hmm@example.com\"}}");
        assertThat(post.header("Idempotency-Key")).isEqualTo("customer-hub-sales-1-G1");
    }

    /** The README's example, pointed at the test server: ingest and sync in one file, one mapping. */
    private void writeSalesFile(HubHome home, Path token) throws IOException {
        Files.writeString(home.root().resolve("routes/sources/sales.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: http-source
                    routeId: sales-ingest
                    parameters:
                      - { name: source, value: sales }
                      - { name: url, value: "%1$s" }
                      - { name: record-path, value: data }
                      - { name: auth, value: bearer }
                      - { name: token-file, value: "%2$s" }
                      - { name: poll-interval, value: "300000" }
                      - name: mapping
                        value: &sales-mapping |
                          key: id
                          updated-at: updated_at
                          fields:
                            fullName: name
                            phone: contact.mobile
                            email: contact.email
                - templatedRoute:
                    routeTemplateRef: http-sync
                    routeId: sales-sync
                    parameters:
                      - { name: source, value: sales }
                      - { name: mapping, value: *sales-mapping }
                      - { name: create-url, value: "%1$s" }
                      - { name: update-url, value: "%1$s/{key}" }
                      - { name: auth, value: bearer }
                      - { name: token-file, value: "%2$s" }
                """.formatted(api.url("/api/customers"), token.toString().replace("\\", "/")));
    }
}
