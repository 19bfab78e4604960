package io.customerhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import io.customerhub.sync.SalesTarget.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP sync writer against a real HTTP server standing in for a sales API, without Camel: the
 * requests it makes, their bodies and headers, and what it reports through faults.
 */
class HttpSyncWriterTest {

    static final String MAPPING = """
            key: id
            updated-at: updated_at
            fields:
              fullName: name
              givenName: { split: name, on: " ", index: 0 }
              email: contact.email
              phone: { first-of: [contact.mobile, tel] }
              city: address.city
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    SalesTarget api;
    Path token;

    @BeforeEach
    void start() throws IOException {
        api = new SalesTarget();
        token = Files.writeString(dir.resolve("token"), SalesTarget.TOKEN + "\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    HttpSyncWriter writer(Consumer<HttpSyncWriter> settings) {
        HttpSyncWriter writer = new HttpSyncWriter();
        writer.getOptions().put("source", "sales");
        writer.getOptions().put("mapping", MAPPING);
        writer.getOptions().put("create-url", api.url("/api/customers"));
        writer.getOptions().put("update-url", api.url("/api/customers/{key}"));
        writer.getOptions().put("auth", "bearer");
        writer.getOptions().put("token-file", token.toString());
        writer.getOptions().put("retry-delay", "10");
        writer.getOptions().put("read-timeout", "3000");
        settings.accept(writer);
        writer.init();
        return writer;
    }

    HttpSyncWriter writer() {
        return writer(w -> {
        });
    }

    static OutboundChange change(long changeSeq, String key, boolean created) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.FULL_NAME, "Li Lei " + changeSeq);
        values.put(CanonicalField.GIVEN_NAME, "Lei");
        values.put(CanonicalField.EMAIL, "lilei" + changeSeq + "@example.com");
        values.put(CanonicalField.PHONE, "+8613800138000");
        values.put(CanonicalField.CITY, "Shanghai");
        return new OutboundChange(changeSeq, "sales", "G" + changeSeq, key, created, false, values, Instant.parse("2026-12-01T08:00:00Z"));
    }

    @Test
    void createIsPostedWithTheMappedJsonInTheTargetsFieldNames() throws Exception {
        List<String> outcomes = writer().write(List.of(change(7, "G7", true))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly((String) null);
        assertThat(api.seen).hasSize(1);
        SalesTarget.Seen post = api.seen.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.rawPath()).isEqualTo("/api/customers");
        assertThat(post.header("Content-Type")).startsWith("application/json");
        // givenName is built by split: it cannot be written back, and the golden updated-at is not the source's
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree("""
                {"id": "G7", "name": "Li Lei 7",
                 "contact": {"email": "lilei7@example.com", "mobile": "+8613800138000"},
                 "address": {"city": "Shanghai"}}"""));
    }

    @Test
    void aTargetThatAssignsKeysGetsCreatesWithoutOneAndTheKeyOfItsAnswerIsReported() throws Exception {
        api.script.add(new SalesTarget.Answer(201, "", Map.of("Location", "/api/customers/S%2041")));
        api.script.add(SalesTarget.Answer.of(201, "{\"id\": 42, \"name\": \"Li Lei 8\"}"));
        HttpSyncWriter writer = writer(w -> w.getOptions().put("create", "target-assigned"));

        List<WriteOutcome> outcomes = writer.write(List.of(change(7, "G7", true), change(8, "G8", true), change(9, "S9", false)));

        assertThat(outcomes).containsExactly(WriteOutcome.created("S 41"), WriteOutcome.created("42"), WriteOutcome.WRITTEN);
        assertThat(JSON.readTree(api.seen.get(0).body()).has("id")).as("no key in a create").isFalse();
        assertThat(api.seen.get(2).rawPath()).as("an update still goes to its key").isEqualTo("/api/customers/S9");
        assertThat(writer.create()).isEqualTo(CreatePolicy.TARGET_ASSIGNED);
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("create", "sometimes"))).hasMessageContaining("golden-id, target-assigned, never");
    }

    @Test
    void aRecordEditedAfterTheHubLastReadItIsNotOverwritten() throws Exception {
        Instant read = Instant.parse("2026-12-01T08:00:00Z");
        api.records.put("/api/customers/S9", "{\"id\": \"S9\", \"updated_at\": \"2026-12-01T08:00:00Z\"}");
        api.records.put("/api/customers/S10", "{\"id\": \"S10\", \"updated_at\": \"2026-12-01T08:00:05Z\"}");

        List<WriteOutcome> outcomes = writer().write(List.of(basedOn(change(9, "S9", false), read), basedOn(change(10, "S10", false), read)));

        assertThat(outcomes.get(0)).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(outcomes.get(1).error()).startsWith("not written: the record changed at 2026-12-01T08:00:05Z, after "
                + "2026-12-01T08:00:00Z");
        assertThat(outcomes.get(1).final_()).isFalse();
        assertThat(api.seen).extracting(seen -> seen.method() + " " + seen.rawPath())
                .containsExactly("GET /api/customers/S9", "PUT /api/customers/S9", "GET /api/customers/S10");
    }

    @Test
    void anUpdateCarriesTheETagOfItsReadAsIfMatchAndIsNotWrittenWhenTheTargetAnswers412() throws Exception {
        Instant read = Instant.parse("2026-12-01T08:00:00Z");
        api.records.put("/api/customers/S9", "{\"id\": \"S9\", \"updated_at\": \"2026-12-01T08:00:00Z\"}");
        api.etags.put("/api/customers/S9", "\"v7\"");
        api.script.add(Answer.of(412, "{\"error\":\"the record changed\"}")); // edited between the read and the write

        WriteOutcome outcome = writer().write(List.of(basedOn(change(9, "S9", false), read))).get(0);

        assertThat(api.seen).extracting(seen -> seen.method() + " " + seen.header("If-Match"))
                .containsExactly("GET null", "PUT \"v7\"");
        assertThat(outcome.error()).contains("answered HTTP 412");
        assertThat(outcome.final_()).as("retried: by then the hub has read the edit").isFalse();
    }

    static OutboundChange basedOn(OutboundChange change, Instant basedOn) {
        return new OutboundChange(change.changeSeq(), change.target(), change.customerId(), change.targetKey(), change.created(),
                change.deleted(), change.values(), change.changedAt(), basedOn);
    }

    @Test
    void fieldsAreWhatTheMappingWritesBackKeyIncluded() {
        assertThat(writer().fields()).containsExactlyInAnyOrder(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
                CanonicalField.EMAIL, CanonicalField.PHONE, CanonicalField.CITY);
    }

    @Test
    void updateIsPutToTheUrlOfItsKeyEncoded() throws Exception {
        List<String> outcomes = writer().write(List.of(change(8, "S 8/x", false))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly((String) null);
        SalesTarget.Seen put = api.seen.get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.rawPath()).isEqualTo("/api/customers/S%208%2Fx");
        assertThat(JSON.readTree(put.body()).get("id").asText()).isEqualTo("S 8/x");
    }

    @Test
    void updateMethodPatchIsUsedWhenConfigured() throws Exception {
        writer(w -> w.getOptions().put("update-method", "patch")).write(List.of(change(8, "S8", false))).stream().map(WriteOutcome::error).toList();

        assertThat(api.seen.get(0).method()).isEqualTo("PATCH");
    }

    @Test
    void everyRequestCarriesAnIdempotencyKeyStableAcrossRetries() throws Exception {
        api.script.add(Answer.of(503, "busy"));

        List<String> outcomes = writer().write(List.of(change(9, "S9", false))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly((String) null);
        assertThat(api.seen).hasSize(2);
        String key = change(9, "S9", false).idempotencyKey();
        assertThat(key).startsWith("customer-hub-sales-9-S9-");
        assertThat(api.seen).extracting(s -> s.header("Idempotency-Key")).containsExactly(key, key);
    }

    @Test
    void aNewerStateOfTheSameOutboxRowHasAnIdempotencyKeyOfItsOwn() {
        OutboundChange first = change(9, "S9", false);
        Map<CanonicalField, String> moved = new EnumMap<>(first.values());
        moved.put(CanonicalField.CITY, "Suzhou");
        OutboundChange newer = new OutboundChange(9, "sales", "G9", "S9", false, false, moved, first.changedAt());

        // an API that honours the key would answer the newer state with the older one's stored answer, unapplied
        assertThat(newer.idempotencyKey()).startsWith("customer-hub-sales-9-S9-").isNotEqualTo(first.idempotencyKey());
        assertThat(change(9, "S9", false).idempotencyKey()).as("the same write again").isEqualTo(first.idempotencyKey());
    }

    @Test
    void idempotencyHeaderNameIsAParameter() throws Exception {
        writer(w -> w.getOptions().put("idempotency-header", "X-Request-Id")).write(List.of(change(9, "S9", false))).stream().map(WriteOutcome::error).toList();

        assertThat(api.seen.get(0).header("X-Request-Id")).isEqualTo(change(9, "S9", false).idempotencyKey());
        assertThat(api.seen.get(0).header("Idempotency-Key")).isNull();
    }

    @Test
    void bearerTokenIsReadFromTheSecretFile() throws Exception {
        HttpSyncWriter writer = writer();
        writer.write(List.of(change(1, "S1", false))).stream().map(WriteOutcome::error).toList();
        assertThat(api.seen.get(0).header("Authorization")).isEqualTo("Bearer " + SalesTarget.TOKEN);

        // a rotated secret is read at the next batch; the API refuses the stale one, and no message shows it
        Files.writeString(token, "rotated-token");
        List<String> outcomes = writer.write(List.of(change(2, "S2", false))).stream().map(WriteOutcome::error).toList();
        assertThat(api.seen.get(1).header("Authorization")).isEqualTo("Bearer rotated-token");
        assertThat(outcomes.get(0)).contains("HTTP 401").doesNotContain("rotated-token");
    }

    @Test
    void secretFileMissingFailsInit() {
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("token-file", dir.resolve("absent").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token-file");
    }

    @Test
    void serviceUnavailableIsRetriedOnceThenWritten() throws Exception {
        api.script.add(Answer.of(503));

        assertThat(writer().write(List.of(change(3, "S3", false))).stream().map(WriteOutcome::error).toList()).containsExactly((String) null);
        assertThat(api.seen).hasSize(2);
    }

    @Test
    void tooManyRequestsWaitsAsRetryAfterAsks() throws Exception {
        api.script.add(new Answer(429, "slow down", Map.of("Retry-After", "1")));

        assertThat(writer().write(List.of(change(4, "S4", false))).stream().map(WriteOutcome::error).toList()).containsExactly((String) null);
        assertThat(api.seen).hasSize(2);
        assertThat(Duration.between(api.seen.get(0).at(), api.seen.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void errorsPastMaxAttemptsAreThatChangesEntry() throws Exception {
        api.script.add(Answer.of(503, "down"));
        api.script.add(Answer.of(502, "down"));
        api.script.add(Answer.of(500, "still down"));

        List<String> outcomes = writer().write(List.of(change(5, "S5", false), change(6, "S6", false))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes.get(0)).contains("PUT", "/api/customers/S5", "3 attempt(s)", "HTTP 500", "still down");
        assertThat(outcomes.get(1)).isNull();
    }

    @Test
    void badRequestIsThatChangesErrorAtOnceAndTheOthersAreWritten() throws Exception {
        api.script.add(Answer.of(200));
        api.script.add(Answer.of(400, "{\"error\": \"email is not valid\",\n \"field\": \"contact.email\"}"));

        List<String> outcomes = writer().write(List.of(change(1, "S1", false), change(2, "S2", false), change(3, "S3", false))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(1)).startsWith("sales: PUT http://127.0.0.1:").contains("/api/customers/S2 answered HTTP 400: "
                + "{\"error\": \"email is not valid\", \"field\": \"contact.email\"}").doesNotContain(SalesTarget.TOKEN);
        assertThat(outcomes.get(2)).isNull();
        assertThat(api.seen).extracting(SalesTarget.Seen::rawPath)
                .containsExactly("/api/customers/S1", "/api/customers/S2", "/api/customers/S3");
    }

    @Test
    void changesAreSentInOrderOneAtATime() throws Exception {
        List<String> outcomes = writer().write(List.of(change(1, "G1", true), change(2, "S2", false), change(3, "G3", true))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly(null, null, null);
        assertThat(api.seen).extracting(s -> s.method() + " " + s.rawPath())
                .containsExactly("POST /api/customers", "PUT /api/customers/S2", "POST /api/customers");
    }

    @Test
    void unreachableTargetThrowsSoThatNothingCountsAsWritten() throws IOException {
        int closed = closedPort();
        HttpSyncWriter writer = writer(w -> {
            w.getOptions().put("create-url", "http://127.0.0.1:" + closed + "/api/customers");
            w.getOptions().put("update-url", "http://127.0.0.1:" + closed + "/api/customers/{key}");
            w.getOptions().put("max-attempts", "2");
        });

        assertThatThrownBy(() -> writer.write(List.of(change(1, "S1", false), change(2, "S2", false))).stream().map(WriteOutcome::error).toList())
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("sales: PUT http://127.0.0.1:" + closed + "/api/customers/S1 failed after 2 attempt(s)");
    }

    @Test
    void connectionLostMidwayReportsTheRestUnsentWithoutThrowing() throws Exception {
        int closed = closedPort();
        // creates reach the server, updates a port nobody listens on: the target "goes down" after the first change
        HttpSyncWriter writer = writer(w -> {
            w.getOptions().put("update-url", "http://127.0.0.1:" + closed + "/api/customers/{key}");
            w.getOptions().put("max-attempts", "2");
        });

        List<String> outcomes = writer.write(List.of(change(1, "G1", true), change(2, "S2", false), change(3, "G3", true))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(1)).contains("/api/customers/S2 failed after 2 attempt(s)", "ConnectException");
        assertThat(outcomes.get(2)).startsWith("not sent: ");
        assertThat(api.seen).hasSize(1);
    }

    @Test
    void basicAndApiKeyCredentialsComeFromTheirSecrets() throws Exception {
        Path user = Files.writeString(dir.resolve("user"), "hub\n");
        Path password = Files.writeString(dir.resolve("password"), "pa:ss\n");
        writer(w -> {
            w.getOptions().put("auth", "basic");
            w.getOptions().put("token-file", "-");
            w.getOptions().put("user-file", user.toString());
            w.getOptions().put("password-file", password.toString());
        }).write(List.of(change(1, "S1", false))).stream().map(WriteOutcome::error).toList();
        writer(w -> {
            w.getOptions().put("auth", "api-key");
            w.getOptions().put("api-key-header", "X-Sales-Key");
        }).write(List.of(change(2, "S2", false))).stream().map(WriteOutcome::error).toList();

        assertThat(api.seen.get(0).header("Authorization")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("hub:pa:ss".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(api.seen.get(1).header("X-Sales-Key")).isEqualTo(SalesTarget.TOKEN);
        assertThat(api.seen.get(1).header("Authorization")).isNull();
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void conflictOnCreateIsSentAgainAsTheUpdate() throws Exception {
        api.script.add(Answer.of(409, "{\"error\":\"exists\"}"));

        List<String> outcomes = writer().write(List.of(change(11, "G11", true))).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly((String) null);
        assertThat(api.seen).extracting(s -> s.method() + " " + s.rawPath() + " " + s.header("Idempotency-Key"))
                .containsExactly("POST /api/customers " + change(11, "G11", true).idempotencyKey(),
                        "PUT /api/customers/G11 " + change(11, "G11", true).idempotencyKey() + "-update");
        assertThat(api.seen.get(1).body()).isEqualTo(api.seen.get(0).body());
    }

    @Test
    void conflictOnUpdateIsAnError() throws Exception {
        api.script.add(Answer.of(409, "version conflict"));

        assertThat(writer().write(List.of(change(12, "S12", false))).stream().map(WriteOutcome::error).toList().get(0)).contains("HTTP 409", "version conflict");
        assertThat(api.seen).hasSize(1);
    }

    @Test
    void deletionIsADeleteWhenConfiguredAndGoneCountsAsWritten() throws Exception {
        api.script.add(Answer.of(404));
        OutboundChange deleted = new OutboundChange(13, "sales", "G13", "S13", false, true, Map.of(), Instant.now());
        OutboundChange neverThere = new OutboundChange(14, "sales", "G14", "G14", true, true, Map.of(), Instant.now());

        List<String> outcomes = writer(w -> w.getOptions().put("delete-method", "DELETE")).write(List.of(deleted, neverThere)).stream().map(WriteOutcome::error).toList();

        assertThat(outcomes).containsExactly(null, null);
        assertThat(api.seen).extracting(s -> s.method() + " " + s.rawPath()).containsExactly("DELETE /api/customers/S13");
        assertThat(api.seen.get(0).header("Idempotency-Key")).startsWith("customer-hub-sales-13-S13-");
    }

    @Test
    void withoutDeleteMethodADeletionIsSentAsAnUpdate() throws Exception {
        OutboundChange deleted = new OutboundChange(13, "sales", "G13", "S13", false, true,
                Map.of(CanonicalField.FULL_NAME, "Gone"), Instant.now());

        writer().write(List.of(deleted)).stream().map(WriteOutcome::error).toList();

        assertThat(api.seen).extracting(s -> s.method() + " " + s.rawPath() + " " + s.body())
                .containsExactly("PUT /api/customers/S13 {\"id\":\"S13\",\"name\":\"Gone\"}");
    }

    @Test
    void badParametersFailInit() {
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("update-url", api.url("/api/customers"))))
                .hasMessageContaining("update-url").hasMessageContaining("{key}");
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("create-method", "PATCH")))
                .hasMessageContaining("create-method: expected POST or PUT");
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("update-method", "POST")))
                .hasMessageContaining("update-method: expected PUT or PATCH");
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("delete-method", "PURGE")))
                .hasMessageContaining("delete-method");
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("create-url", "ftp://sales.example.com/x")))
                .hasMessageContaining("create-url");
        assertThatThrownBy(() -> writer(w -> w.getOptions().put("auth", "oauth")))
                .hasMessageContaining("auth: expected one of none, bearer, basic, api-key");
    }
}
