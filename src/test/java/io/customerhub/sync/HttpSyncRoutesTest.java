package io.customerhub.sync;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real http-sync template with the real outbox and delivery stage, next to the http-source
 * route of the same system sharing its mapping through a YAML anchor: customers another source
 * delivers are created in the sales API, once each, with an idempotency key; a change is sent as
 * an update of the record created before.
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
    void goldenRecordsOfAnotherSourceAreCreatedInTheSalesApiThenUpdated() throws Exception {
        api = new SalesTarget();
        Path token = Files.writeString(dir.resolve("sales-token"), SalesTarget.TOKEN);
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        writeSalesFile(home, token);

        hub = RunningHub.start(home, Map.of("hub.sync.interval", "200"));
        assertThat(hub.camel().getRoute("sales-sync").getDescription()).isNotBlank();
        home.dropSample("oa", "staff.xml");

        await().atMost(Duration.ofSeconds(30)).until(() -> posts().size() == 2
                && hub.query(HubHome.UNDELIVERED).isEmpty() && hub.query("SELECT * FROM sync_outbox").isEmpty());
        String goldenLiu = hub.query("SELECT customer_id FROM customer_source WHERE source = 'oa' AND source_key = 'E-017'")
                .get(0).get("customer_id").toString();
        SalesTarget.Seen post = posts().stream().filter(s -> s.body().contains("刘洋")).findFirst().orElseThrow();
        assertThat(post.body()).isEqualTo("{\"id\":\"" + goldenLiu + "\",\"name\":\"刘洋\",\"contact\":{\"email\":\"liuyang@example.cn\","
                + "\"mobile\":\"+8618600000017\"}}");
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + SalesTarget.TOKEN);
        assertThat(post.header("Idempotency-Key")).startsWith("customer-hub-sales-").contains("-" + goldenLiu + "-");

        // Liu Yang's new mobile number, from the OA: an update of the record the hub created
        home.drop("oa", "staff-2.xml", Files.readString(Path.of("samples/inbox/oa/staff.xml"), Charset.forName("GBK"))
                .replace("+86 186 0000 0017", "186 0000 0099").replace("exported=\"2026-11-25\"", "exported=\"2026-11-26\"")
                .getBytes(Charset.forName("GBK")));
        await().atMost(Duration.ofSeconds(30)).until(() -> api.seen.stream().anyMatch(s -> s.method().equals("PUT")));
        SalesTarget.Seen put = api.seen.stream().filter(s -> s.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(put.rawPath()).isEqualTo("/api/customers/" + goldenLiu);
        assertThat(put.body()).contains("+8618600000099");
        hub.awaitRuns("sales-sync", 2);
        assertThat(posts()).as("nothing created twice").hasSize(2);
        assertThat(api.seen.stream().filter(s -> s.method().equals("PUT"))).as("the other employee did not change").hasSize(1);
    }

    private List<SalesTarget.Seen> posts() {
        return api.seen.stream().filter(s -> s.method().equals("POST")).toList();
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
                      - { name: poll-interval, value: "1000" }
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
