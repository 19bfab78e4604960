package io.customerhub.ingest;

import io.customerhub.ops.PolledSources;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.AfterEach;
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
 * The real http-source template, poll-source stage, pipeline and H2 store, in-process, polling a
 * real HTTP server: what an API's records end as in the store, through faults, restarts from the
 * stored cursor and late commits.
 */
class HttpSourceRoutesTest {

    @TempDir
    Path dir;

    SalesApi api;
    RunningHub hub;
    Path token;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (api != null) {
            api.close();
        }
    }

    /** Starts the hub with one source file instantiating http-source with {@code parameters} (YAML list items). */
    void startHub(String parameters) throws IOException {
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        if (token == null) {
            token = Files.writeString(dir.resolve("sales-token"), SalesApi.TOKEN);
        }
        Files.writeString(home.root().resolve("routes/sources/sales.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: http-source
                    routeId: sales-ingest
                    parameters:
                      - { name: source, value: sales }
                      - { name: auth, value: bearer }
                      - { name: token-file, value: "%s" }
                      - { name: poll-interval, value: "300" }
                      - { name: retry-delay, value: "200" }
                %s""".formatted(token.toString().replace("\\", "/"), parameters.indent(6)));
        hub = RunningHub.start(home, Map.of("hub.poll.retry-delay", "200", "hub.poll.retry-max-delay", "400"));
    }

    static final String JSON_MAPPING = """
            - { name: record-path, value: data }
            - name: mapping
              value: |
                key: id
                updated-at: updated_at
                fields:
                  fullName: name
                  email: contact.email
            """;

    long rows() {
        return (Long) hub.query("SELECT COUNT(*) AS n FROM customer_source WHERE source = 'sales'").get(0).get("n");
    }

    long distinctKeys() {
        return (Long) hub.query("SELECT COUNT(DISTINCT source_key) AS n FROM customer_source WHERE source = 'sales'").get(0).get("n");
    }

    String watermark() {
        List<Map<String, Object>> rows = hub.query("SELECT watermark FROM source_watermark WHERE source = 'sales'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("watermark");
    }

    @Test
    void pagedApiIsIngestedOnceThroughFaultsAndALateCommitInTheOverlapIsReadOnALaterPoll() throws IOException {
        // C010..C021 share one updated_at across the boundaries of pages 2 and 3
        api = SalesApi.withCustomers(40, 10, 21);
        // the first page: unavailable, the connection reset mid-body, too many requests; the second: an internal
        // error, then no answer within the read timeout
        api.faults.addAll(List.of("503", "reset", "429", "ok", "500", "slow"));
        startHub(JSON_MAPPING + """
                - { name: url, value: "%s" }
                - { name: cursor, value: composite }
                - { name: overlap, value: PT10M }
                - { name: paging, value: page }
                - { name: page-size, value: "7" }
                - { name: max-attempts, value: "5" }
                - { name: read-timeout, value: "1000" }
                """.formatted(api.url("/customers")));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 40);
        await().atMost(Duration.ofSeconds(10)).until(() -> "{\"updatedAt\":\"2026-11-30T08:40:00Z\",\"key\":\"C040\"}".equals(watermark()));
        assertThat(distinctKeys()).isEqualTo(40);
        assertThat(hub.query("SELECT * FROM quarantine WHERE source = 'sales'")).isEmpty();
        assertThat(api.seen).extracting(SalesApi.Seen::status).startsWith(503, -1, 429, 200, 500, 0, 200);
        // the 429 asked for one second; retry-delay alone would have waited 800 ms
        assertThat(Duration.between(api.seen.get(2).at(), api.seen.get(3).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));

        // committed late: older than the cursor, but inside the overlap window
        api.customers.add(new SalesApi.Customer("C041", "Late Comer", "late@example.com", "2026-11-30T08:35:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 41);
        int polls = api.seen(200).size();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.seen(200).size() >= polls + 3);
        assertThat(rows()).isEqualTo(41);
        assertThat(distinctKeys()).isEqualTo(41);
        assertThat(api.seen(200)).last().satisfies(last -> assertThat(SalesApi.query(last))
                .containsEntry("updated_since", "2026-11-30T08:30:00Z").doesNotContainKey("after_key"));
    }

    @Test
    void aMappingOfTypeOrganizationStoresOrganizations() throws IOException {
        api = SalesApi.withCustomers(6, 0, 0);
        api.customers.add(new SalesApi.Customer("C007", "Sales Person AG, Inc.", "c007@example.com", "2026-11-30T08:07:00Z"));
        startHub(JSON_MAPPING.replace("    key: id\n", "    key: id\n    type: organization\n") + """
                - { name: url, value: "%s" }
                - { name: cursor, value: composite }
                - { name: paging, value: keyset }
                - { name: page-size, value: "5" }
                """.formatted(api.url("/customers")));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 7);
        assertThat(hub.query("SELECT s.customer_type AS source_type, s.given_name, s.family_name, c.customer_type AS golden_type"
                + " FROM customer_source s JOIN customer c ON c.id = s.customer_id WHERE s.source = 'sales'"))
                .hasSize(7).allSatisfy(row -> assertThat(row).containsEntry("source_type", "ORGANIZATION")
                        .containsEntry("golden_type", "ORGANIZATION").containsEntry("given_name", null).containsEntry("family_name", null));
        // Sales Person AG (C006) and Sales Person AG, Inc. (C007): one name without its legal form, but nothing else shared
        assertThat(hub.query("SELECT COUNT(DISTINCT customer_id) AS n FROM customer_source WHERE source = 'sales'").get(0).get("n"))
                .isEqualTo(7L);
    }

    @Test
    void keysetPagingThroughOneSharedTimestampResumesAfterTheLastStoredRecord() throws IOException {
        // C005..C016 share one updated_at: only (updated_at, id) can page through them
        api = SalesApi.withCustomers(30, 5, 16);
        // pages 1 and 2 are served, page 3 fails twice: the poll fails after storing two pages
        api.faults.addAll(List.of("ok", "ok", "reset", "reset"));
        startHub(JSON_MAPPING + """
                - { name: url, value: "%s" }
                - { name: cursor, value: composite }
                - { name: overlap, value: PT0S }
                - { name: paging, value: keyset }
                - { name: page-size, value: "5" }
                - { name: max-attempts, value: "2" }
                """.formatted(api.url("/customers")));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows() == 30);
        await().atMost(Duration.ofSeconds(10)).until(() -> "{\"updatedAt\":\"2026-11-30T08:30:00Z\",\"key\":\"C030\"}".equals(watermark()));
        assertThat(distinctKeys()).isEqualTo(30);
        List<Map<String, String>> queries = api.seen.stream().map(SalesApi::query).toList();
        assertThat(queries.get(1)).containsEntry("updated_since", "2026-11-30T08:05:00Z").containsEntry("after_key", "C005");
        assertThat(queries.get(2)).containsEntry("after_key", "C010");
        // the failed poll had stored page 1 (page 2's batch waits while the split asks for page 3):
        // the next poll starts after page 1's last record, not from the beginning, and not after page 3
        assertThat(queries.get(4)).containsEntry("updated_since", "2026-11-30T08:05:00Z").containsEntry("after_key", "C005");
        assertThat(api.served).hasSize(30).allSatisfy((id, times) ->
                assertThat(times).as(id).isEqualTo(id.compareTo("C006") >= 0 && id.compareTo("C010") <= 0 ? 2 : 1));
    }

    @Test
    void xmlApiFollowingLinkHeadersIsPolledOnceTheTokenIsRight() throws IOException {
        api = SalesApi.withCustomers(25, 3, 4);
        token = Files.writeString(dir.resolve("sales-token"), "expired-token");
        startHub("""
                - { name: url, value: "%s" }
                - { name: format, value: xml }
                - { name: record-element, value: customer }
                - { name: cursor, value: updated-since }
                - { name: paging, value: next-link }
                - name: mapping
                  value: |
                    key: "@id"
                    updated-at: updated
                    fields:
                      fullName: name
                      email: email
                """.formatted(api.url("/customers.xml")));

        PolledSources sources = hub.bean("polledSources", PolledSources.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> sources.down().containsKey("sales"));
        assertThat(sources.down().get("sales")).contains("HTTP 401").contains(api.url("/customers.xml")).doesNotContain("expired-token");
        assertThat(rows()).isZero();

        // the secret file is read on every poll: a rotated token needs no restart
        Files.writeString(token, SalesApi.TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 25);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sources.down().containsKey("sales"));
        assertThat(hub.query("SELECT * FROM quarantine WHERE source = 'sales'")).isEmpty();
        assertThat(api.seen(200)).extracting(seen -> SalesApi.query(seen).get("offset")).startsWith(null, "10", "20");
        assertThat(watermark()).isEqualTo("{\"updatedAt\":\"2026-11-30T08:25:00Z\"}");
    }
}
