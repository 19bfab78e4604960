package io.customerhub.ingest;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP source's reader against a real HTTP server, without Camel: paging, cursors, retries,
 * failures and the parameters it refuses.
 */
class HttpRecordSourceTest {

    static final String MAPPING = """
            key: id
            updated-at: updated_at
            fields:
              fullName: name
              email: contact.email
            """;

    @TempDir
    Path dir;

    SalesApi api;
    Path token;

    @BeforeEach
    void start() throws IOException {
        api = SalesApi.withCustomers(23, 5, 12);
        token = Files.writeString(dir.resolve("token"), SalesApi.TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    HttpRecordSource source(Consumer<HttpRecordSource> settings) {
        HttpRecordSource source = new HttpRecordSource();
        source.getOptions().put("source", "sales");
        source.getOptions().put("url", api.url("/customers"));
        source.getOptions().put("mapping", MAPPING);
        source.getOptions().put("record-path", "data");
        source.getOptions().put("auth", "bearer");
        source.getOptions().put("token-file", token.toString());
        source.getOptions().put("retry-delay", "100");
        source.getOptions().put("read-timeout", "3000");
        source.setBatchSize(1000);
        settings.accept(source);
        source.init();
        return source;
    }

    static List<PolledBatch> all(Iterator<PolledBatch> batches) {
        List<PolledBatch> all = new ArrayList<>();
        batches.forEachRemaining(all::add);
        return all;
    }

    static List<String> keys(List<PolledBatch> batches) {
        return batches.stream().flatMap(b -> b.records().stream()).map(SourceRecord::sourceKey).toList();
    }

    static List<String> expectedKeys(int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            keys.add(String.format("C%03d", i));
        }
        return keys;
    }

    @Test
    void offsetPagingReadsEveryPageOnceAndStopsAtTheShortPage() {
        List<PolledBatch> batches = all(source(s -> {
            s.getOptions().put("paging", "offset");
            s.getOptions().put("page-size", "10");
            s.getOptions().put("cursor", "updated-since");
        }).batches(null));

        assertThat(batches).hasSize(3);
        assertThat(keys(batches)).isEqualTo(expectedKeys(1, 23));
        assertThat(api.seen).extracting(seen -> SalesApi.query(seen).get("offset")).containsExactly("0", "10", "20");
        SourceRecord first = batches.get(1).records().get(0);
        assertThat(first.origin()).isEqualTo(api.url("/customers?offset=10&limit=10"));
        assertThat(first.position()).isEqualTo(1);
        assertThat(first.value(CanonicalField.EMAIL)).isEqualTo("person11@example.com");
        assertThat(batches.get(2).watermark()).isEqualTo("{\"updatedAt\":\"2026-11-30T08:23:00Z\"}");
    }

    @Test
    void cursorTokenPagingSendsTheTokenBackUntilThereIsNone() {
        List<PolledBatch> batches = all(source(s -> {
            s.getOptions().put("paging", "cursor-token");
            s.getOptions().put("next-path", "next_token");
            s.getOptions().put("page-size", "8");
        }).batches(null));

        assertThat(keys(batches)).isEqualTo(expectedKeys(1, 23));
        assertThat(api.seen).extracting(seen -> SalesApi.query(seen).get("page_token")).containsExactly(null, "o8", "o16");
    }

    @Test
    void aPageIsCutIntoBatchesEachWithTheCursorOfItsLastRecord() {
        List<PolledBatch> batches = all(source(s -> {
            s.getOptions().put("cursor", "composite");
            s.getOptions().put("paging", "page");
            s.getOptions().put("page-size", "20");
            s.setBatchSize(6);
        }).batches(null));

        assertThat(batches).extracting(b -> b.records().size()).containsExactly(6, 6, 6, 2, 3);
        assertThat(batches.get(0).watermark()).isEqualTo("{\"updatedAt\":\"2026-11-30T08:05:00Z\",\"key\":\"C006\"}");
        assertThat(batches.get(4).records().get(0).position()).isEqualTo(1);
    }

    @Test
    void aStoredCursorIsSentBackOverlapEarlierAndWithoutTheKey() {
        all(source(s -> {
            s.getOptions().put("cursor", "composite");
            s.getOptions().put("overlap", "PT2M");
        }).batches("{\"updatedAt\":\"2026-11-30T08:20:00Z\",\"key\":\"C020\"}"));
        all(source(s -> {
            s.getOptions().put("cursor", "composite");
            s.getOptions().put("overlap", "PT0S");
        }).batches("{\"updatedAt\":\"2026-11-30T08:20:00Z\",\"key\":\"C020\"}"));

        assertThat(SalesApi.query(api.seen.get(0))).containsEntry("updated_since", "2026-11-30T08:18:00Z").doesNotContainKey("after_key");
        assertThat(SalesApi.query(api.seen.get(1))).containsEntry("updated_since", "2026-11-30T08:20:00Z").containsEntry("after_key", "C020");
    }

    @Test
    void xmlPagesFollowTheLinkHeader() {
        List<PolledBatch> batches = all(source(s -> {
            s.getOptions().put("url", api.url("/customers.xml"));
            s.getOptions().put("format", "xml");
            s.getOptions().put("record-path", "-");
            s.getOptions().put("record-element", "customer");
            s.getOptions().put("mapping", """
                    key: "@id"
                    updated-at: updated
                    fields:
                      fullName: name
                      email: email
                    """);
            s.getOptions().put("paging", "next-link");
        }).batches(null));

        assertThat(keys(batches)).isEqualTo(expectedKeys(1, 23));
        assertThat(batches).hasSize(3);
        assertThat(batches.get(2).records().get(2).origin()).isEqualTo(api.url("/customers.xml?offset=20&limit=10"));
    }

    @Test
    void aWrongTokenFailsAtOnceNamingSourceUrlAndStatusButNotTheToken() throws IOException {
        Files.writeString(token, "wrong-token");
        Iterator<PolledBatch> batches = source(s -> s.getOptions().put("url", api.url("/customers?api_key=abc123&region=cn"))).batches(null);

        assertThatThrownBy(batches::hasNext).isInstanceOf(HttpSourceException.class)
                .hasMessageContaining("source sales")
                .hasMessageContaining(api.url("/customers?api_key=***&region=cn"))
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("invalid token")
                .hasMessageNotContaining("wrong-token").hasMessageNotContaining("abc123");
        assertThat(api.seen).hasSize(1);
    }

    @Test
    void serverErrorsAndResetConnectionsAreRetriedWithBackOffThenFailThePoll() {
        api.faults.add("503");
        api.faults.add("reset");
        List<PolledBatch> batches = all(source(s -> s.getOptions().put("max-attempts", "3")).batches(null));
        assertThat(keys(batches)).hasSize(10);
        assertThat(api.seen).extracting(SalesApi.Seen::status).containsExactly(503, -1, 200);
        // 100 ms, then 200 ms: our back-off, not a retry inside the JDK client
        assertThat(Duration.between(api.seen.get(1).at(), api.seen.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(180));

        api.seen.clear();
        api.faults.addAll(List.of("reset", "reset", "reset"));
        Iterator<PolledBatch> failing = source(s -> s.getOptions().put("max-attempts", "3")).batches(null);
        assertThatThrownBy(failing::hasNext).isInstanceOf(HttpSourceException.class)
                .hasMessageContaining("source sales: GET " + api.url("/customers") + " failed after 3 attempt(s)")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(IOException.class));
    }

    @Test
    void aNextLinkToAnotherServerIsNotFollowed() {
        Iterator<PolledBatch> batches = source(s -> {
            s.getOptions().put("url", api.url("/elsewhere"));
            s.getOptions().put("paging", "next-link");
            s.getOptions().put("next-path", "next");
        }).batches(null);

        assertThatThrownBy(batches::hasNext).isInstanceOf(HttpSourceException.class)
                .hasMessageContaining("points to another server").hasMessageContaining("attacker.example.com");
    }

    @Test
    void badParametersFailWhenTheRouteIsCreated() {
        assertThatThrownBy(() -> source(s -> s.getOptions().put("url", "ftp://example.com/x"))).hasMessageContaining("url");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("url", "https://user:pw@example.com/x"))).hasMessageContaining("credentials");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("paging", "pages"))).hasMessageContaining("paging: expected one of");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("paging", "keyset"))).hasMessageContaining("cursor: composite");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("paging", "cursor-token"))).hasMessageContaining("next-path");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("overlap", "5 minutes"))).hasMessageContaining("overlap");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("token-file", dir.resolve("missing").toString()))).hasMessageContaining("token-file");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("token-env", "SALES_TOKEN"))).hasMessageContaining("exactly one of token-env and token-file");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("mapping", "key: id\ngroup-rows: true"))).hasMessageContaining("group-rows");
        assertThatThrownBy(() -> source(s -> s.getOptions().put("format", "csv"))).hasMessageContaining("format");
    }
}
