package io.customerhub.enrich;

import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Enrichment;
import io.customerhub.record.Enrichment.Status;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decisions of an HTTP lookup, without Camel or a network: what to call, how answers and failures end up on records. */
class HttpLookupTest {

    private final MutableClock clock = new MutableClock();
    private final List<String> counted = new ArrayList<>();

    @Test
    void keyIsUrlEncodedIntoTheUrl() {
        HttpLookup lookup = lookup("https://crm.example.com/v1/customers/{email}/segment?x=1");

        assertThat(lookup.uri("li.na+vip@example.com")).isEqualTo("https://crm.example.com/v1/customers/li.na%2Bvip%40example.com/segment?x=1");
        assertThat(lookup("http://s/q?phone={phone}").uri("+86 138")).isEqualTo("http://s/q?phone=%2B86%20138");
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            200 | {"segment":"gold","limits":{"credit":5000},"other":1} | FOUND         | {creditLimit=5000, segment=gold}
            200 | {"segment":"gold","limits":null}                       | FOUND         | {segment=gold}
            200 | {"other":1}                                            | NOT_FOUND     | not found (no declared field in the answer)
            200 | [1, 2]                                                 | NOT_FOUND     | not found (no declared field in the answer)
            200 | <html>busy</html>                                      | INVALID       | invalid response (not JSON)
            200 | "gold"                                                 | INVALID       | invalid response (not a JSON object)
            404 | {"error":"no such customer"}                           | NOT_FOUND     | not found
            204 | null                                                   | NOT_FOUND     | not found
            500 | {"segment":"gold"}                                     | HTTP_ERROR    | HTTP 500
            401 | null                                                   | HTTP_ERROR    | HTTP 401
            """)
    void answersAreInterpreted(int status, String body, LookupAnswer.Outcome outcome, String detail) {
        LookupAnswer answer = lookup("http://s/q?phone={phone}").interpret(status, body);

        assertThat(answer.outcome()).isEqualTo(outcome);
        if (outcome == LookupAnswer.Outcome.FOUND) {
            assertThat(new java.util.TreeMap<>(answer.attributes())).hasToString(detail);
        } else {
            assertThat(answer.reason()).isEqualTo(detail);
        }
    }

    @Test
    void failuresWithoutAnAnswerAreClassified() {
        assertThat(LookupAnswer.of(new RuntimeException(new SocketTimeoutException("Read timed out"))).reason()).isEqualTo("timeout");
        assertThat(LookupAnswer.of(new ConnectException("Connection refused")).reason()).isEqualTo("unreachable (ConnectException)");
        assertThat(LookupAnswer.of(new IllegalStateException("boom")).reason()).isEqualTo("failed (IllegalStateException)");
    }

    @Test
    void aBatchCallsEachDistinctUncachedKeyOnceAndSkipsRecordsWithoutTheKey() {
        HttpLookup lookup = lookup("http://s/q?phone={phone}");
        CheckedBatch batch = batch(record("1", "+8613800000001"), record("2", "+8613800000001"),
                record("3", null), record("4", "+8613800000002"));

        LookupCalls calls = lookup.plan(batch);
        assertThat(calls.keys()).containsExactly("+8613800000001", "+8613800000002");
        lookup.answered(calls, "+8613800000001", 200, "{\"segment\":\"gold\"}");
        lookup.answered(calls, "+8613800000002", 500, "");
        CheckedBatch enriched = lookup.apply(batch, calls);

        assertThat(enriched.accepted()).extracting(CheckedRecord::enrichment).containsExactly(
                Enrichment.enriched(Map.of("segment", "gold")), Enrichment.enriched(Map.of("segment", "gold")),
                Enrichment.skipped("segment: no phone"), Enrichment.notEnriched("segment: HTTP 500"));
        assertThat(counted).contains("call found", "call http_error", "records found 2", "records skipped 1",
                "records http_error 1");

        // the answer is cached, the failure is not: the next batch asks again only for the failed key
        assertThat(lookup.plan(batch).keys()).containsExactly("+8613800000002");
    }

    @Test
    void cachedAnswersExpireAfterTheirTimeToLive() {
        HttpLookup lookup = lookup("http://s/q?phone={phone}");
        CheckedBatch batch = batch(record("1", "+8613800000001"));
        LookupCalls first = lookup.plan(batch);
        lookup.answered(first, "+8613800000001", 404, "");

        clock.advance(Duration.ofSeconds(59));
        LookupCalls cached = lookup.plan(batch);
        assertThat(cached.keys()).isEmpty();
        assertThat(lookup.apply(batch, cached).accepted().get(0).enrichment())
                .isEqualTo(Enrichment.notEnriched("segment: not found"));

        clock.advance(Duration.ofSeconds(1));
        assertThat(lookup.plan(batch).keys()).containsExactly("+8613800000001");
    }

    @Test
    void callsNotDoneWithinTheBatchBudgetLeaveRecordsNotEnriched() {
        HttpLookup lookup = lookup("http://s/q?phone={phone}");
        CheckedBatch batch = batch(record("1", "+8613800000001"), record("2", "+8613800000002"));
        LookupCalls calls = lookup.plan(batch);
        lookup.failed(calls, "+8613800000001", new SocketTimeoutException("Read timed out"));
        assertThat(calls.inTime()).isTrue();

        clock.advance(Duration.ofMillis(500));

        assertThat(calls.inTime()).isFalse();
        assertThat(lookup.apply(batch, calls).accepted()).extracting(CheckedRecord::enrichment).containsExactly(
                Enrichment.notEnriched("segment: timeout"),
                Enrichment.notEnriched("segment: timeout: batch budget of 500 ms spent"));
    }

    @Test
    void leastRecentlyUsedAnswersLeaveAFullCache() {
        LookupCache<String> cache = new LookupCache<>(2, Duration.ofMinutes(1), clock);
        cache.put("a", "A");
        cache.put("b", "B");
        cache.get("a");
        cache.put("c", "C");

        assertThat(cache.get("a")).isEqualTo("A");
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("c")).isEqualTo("C");
        assertThat(new LookupCache<String>(0, Duration.ofMinutes(1), clock)).satisfies(none -> {
            none.put("a", "A");
            assertThat(none.get("a")).isNull();
        });
    }

    @Test
    void outcomesOfSeveralLookupsCombine() {
        Enrichment segment = Enrichment.enriched(Map.of("segment", "gold"));
        Enrichment credit = Enrichment.notEnriched("credit: timeout");

        assertThat(Enrichment.NONE.and(segment)).isEqualTo(segment);
        assertThat(segment.and(credit)).isEqualTo(new Enrichment(Status.NOT_ENRICHED, "credit: timeout", Map.of("segment", "gold")));
        assertThat(Enrichment.skipped("credit: no nationalId").and(segment).status()).isEqualTo(Status.ENRICHED);
        assertThat(Enrichment.skipped("a: no phone").and(Enrichment.skipped("b: no email")))
                .isEqualTo(Enrichment.skipped("a: no phone; b: no email"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Segment  | http://s/q?phone={phone}      | segment: s   | lookup name 'Segment': expected kebab-case
            segment  | ftp://s/{phone}               | segment: s   | url must be http(s) with the key field in braces
            segment  | http://s/q                    | segment: s   | url must be http(s) with the key field in braces
            segment  | http://s/{mobile}             | segment: s   | url placeholder {mobile}: unknown canonical field
            segment  | http://s/{phone}/{email}      | segment: s   | url must name one key field
            segment  | http://s/{phone}              | just text    | fields: expected a map
            segment  | http://s/{phone}              | seg ment: s  | an attribute name is a letter
            """)
    void badDeclarationsFailAtStartWithTheReason(String name, String url, String fields, String message) {
        HttpLookup lookup = new HttpLookup(clock);
        lookup.getOptions().put("name", name);
        lookup.getOptions().put("url", url);
        lookup.getOptions().put("fields", fields);

        assertThatThrownBy(lookup::init).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private HttpLookup lookup(String url) {
        HttpLookup lookup = new HttpLookup(clock);
        lookup.getOptions().put("name", "segment");
        lookup.getOptions().put("url", url);
        lookup.getOptions().put("fields", "segment: segment\ncreditLimit: limits.credit\n");
        lookup.getOptions().put("cache-ttl", "60");
        lookup.getOptions().put("batch-timeout", "500");
        lookup.setCounter(new LookupCounter() {
            @Override
            public void records(String name, String outcome, int count) {
                counted.add("records " + outcome + " " + count);
            }

            @Override
            public void call(String name, String outcome) {
                counted.add("call " + outcome);
            }
        });
        lookup.init();
        return lookup;
    }

    private static CheckedRecord record(String key, String phone) {
        SourceRecord delivery = new SourceRecord("crm", "test.csv", 2, Map.of(), "{}", null);
        return new CheckedRecord(delivery, new CustomerRecord("crm", key, null, "张伟", "伟", "张", null, null, null,
                phone, phone, PostalAddress.EMPTY, null, null));
    }

    private static CheckedBatch batch(CheckedRecord... records) {
        return new CheckedBatch("crm", Arrays.asList(records), List.of(), 0);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
