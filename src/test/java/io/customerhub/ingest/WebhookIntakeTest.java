package io.customerhub.ingest;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.StoreResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook intake without Camel: refusals, body formats, positions, answers, secrets. */
class WebhookIntakeTest {

    private static final Map<String, Object> AUTHORIZED = Map.of("Authorization", "Bearer t0ken");

    private static WebhookIntake intake(String format, String... more) {
        WebhookIntake intake = new WebhookIntake();
        intake.getOptions().put("source", "partner");
        intake.getOptions().put("format", format);
        intake.getOptions().put("mapping", """
                key: id
                fields:
                  fullName: name
                  city: address.city
                """);
        intake.getOptions().put("auth", "token");
        intake.getOptions().put("secret-env", "PARTNER_TOKEN");
        intake.setEnvironment(name -> name.equals("PARTNER_TOKEN") ? "t0ken" : null);
        for (int i = 0; i < more.length; i += 2) {
            intake.getOptions().put(more[i], more[i + 1]);
        }
        intake.init();
        return intake;
    }

    private static WebhookRequest receive(WebhookIntake intake, String body) {
        return intake.receive(AUTHORIZED, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void prettyPrintedObjectIsOneRecord() {
        WebhookRequest request = receive(intake("json"), """
                {
                  "id": "P1",
                  "name": "王芳",
                  "address": { "city": "杭州" }
                }
                """);

        assertThat(request.answered()).isFalse();
        assertThat(request.records()).singleElement().satisfies(record -> {
            assertThat(record.sourceKey()).isEqualTo("P1");
            assertThat(record.value(CanonicalField.CITY)).isEqualTo("杭州");
            assertThat(record.position()).isZero();
            assertThat(record.origin()).startsWith("webhook:");
        });
    }

    @Test
    void arrayNdjsonAndRecordPathGiveOneRecordPerElementNumberedFromZero() {
        assertThat(receive(intake("json"), "[{\"id\":\"A\",\"name\":\"a\"},{\"id\":\"B\",\"name\":\"b\"}]").records())
                .extracting(SourceRecord::sourceKey, SourceRecord::position).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("A", 0L), org.assertj.core.groups.Tuple.tuple("B", 1L));
        assertThat(receive(intake("json"), "{\"id\":\"A\",\"name\":\"a\"}\n\n{\"id\":\"B\",\"name\":\"b\"}\n").records())
                .extracting(SourceRecord::sourceKey).containsExactly("A", "B");
        assertThat(receive(intake("json", "record-path", "data.customers"),
                "{\"data\":{\"customers\":[{\"id\":\"C\",\"name\":\"c\"}]}}").records())
                .extracting(SourceRecord::sourceKey).containsExactly("C");
    }

    @Test
    void badNdjsonLineIsOneUnparseableRecordBesideTheGoodOnes() {
        WebhookRequest request = receive(intake("json"), "{\"id\":\"A\",\"name\":\"a\"}\n{\"id\":\n{\"id\":\"B\",\"name\":\"b\"}\n");

        assertThat(request.records()).hasSize(3);
        assertThat(request.errors()).singleElement().satisfies(error -> assertThat(error).contains("line 2"));
        assertThat(intake("json").answer(request, new StoreResult(2, 0, 0, 1, 0)).status()).isEqualTo(400);
    }

    @Test
    void brokenDocumentIsOneUnparseableRecordHoldingTheBody() {
        WebhookRequest request = receive(intake("json"), "[{\"id\":\"A\",\"name\":\"a\"}, {\"id\": ");

        assertThat(request.records()).singleElement().satisfies(record -> {
            assertThat(record.error()).startsWith("not JSON");
            assertThat(record.payload()).contains("\\\"id\\\": ");
        });
        assertThat(receive(intake("json"), "hello").errors()).singleElement()
                .satisfies(error -> assertThat(error).startsWith("not JSON"));
        assertThat(receive(intake("json"), "42").errors()).containsExactly("not a JSON object or array");
        assertThat(receive(intake("json", "record-path", "data"), "{\"other\":[]}").errors()).singleElement()
                .satisfies(error -> assertThat(error).contains("data"));
    }

    @Test
    void bytesNotInTheCharsetAreOneUnparseableRecord() {
        WebhookRequest request = intake("json").receive(AUTHORIZED, new byte[] {'{', '"', 'i', '"', ':', (byte) 0xC3, '}'});
        assertThat(request.errors()).containsExactly("not UTF-8 text");
    }

    @Test
    void xmlRecordsAndGbkBodies() {
        String xml = "<?xml version=\"1.0\" encoding=\"GBK\"?><list><person id=\"X1\"><name>上官婉儿</name></person></list>";
        WebhookRequest request = intake("xml", "record-element", "person").receive(AUTHORIZED, xml.getBytes(Charset.forName("GBK")));
        assertThat(request.records()).singleElement().satisfies(record -> assertThat(record.value(CanonicalField.FULL_NAME))
                .isEqualTo("上官婉儿"));
        assertThat(intake("json", "charset", "GBK").receive(AUTHORIZED, "{\"id\":\"G\",\"name\":\"杭州人\"}".getBytes(Charset.forName("GBK")))
                .records()).singleElement().satisfies(record -> assertThat(record.value(CanonicalField.FULL_NAME)).isEqualTo("杭州人"));
    }

    @Test
    void refusalsAreAnsweredWithoutRecords() {
        WebhookIntake intake = intake("json", "max-body-bytes", "10");
        assertThat(intake.receive(AUTHORIZED, new byte[11]).reply().status()).isEqualTo(413);
        assertThat(intake.receive(Map.of("Authorization", "Bearer nope"), "{}".getBytes()).reply().status()).isEqualTo(401);
        assertThat(intake.receive(Map.of("Authorization", "Bearer t0ken", "Content-Type", "application/x-www-form-urlencoded"), null)
                .reply().status()).isEqualTo(415);
        assertThat(intake.receive(AUTHORIZED, null).reply().status()).isEqualTo(400);
        WebhookRequest empty = intake.receive(AUTHORIZED, "[]".getBytes());
        assertThat(empty.reply().status()).isEqualTo(200);
        assertThat(empty.reply().json()).contains("\"received\":0");
    }

    @Test
    void senderRequestIdIsKeptOnlyWhenItIsAPlainToken() {
        WebhookIntake intake = intake("json");
        WebhookRequest plain = intake.receive(Map.of("Authorization", "Bearer t0ken", "X-Request-Id", "abc-123"), "{\"id\":\"1\"}".getBytes());
        WebhookRequest odd = intake.receive(Map.of("Authorization", "Bearer t0ken", "X-Request-Id", "<script>"), "{\"id\":\"1\"}".getBytes());
        assertThat(plain.id()).isEqualTo("abc-123");
        assertThat(plain.records().get(0).origin()).isEqualTo("webhook:abc-123");
        assertThat(odd.id()).doesNotContain("<").hasSize(36);
    }

    @Test
    void answerCountsWhatTheStoreDid() {
        WebhookIntake intake = intake("json");
        WebhookReply reply = intake.answer(receive(intake, "{\"id\":\"1\",\"name\":\"a\"}"), new StoreResult(0, 1, 0, 0, 0));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).contains("\"received\":1", "\"stored\":1", "\"updated\":1", "\"quarantined\":0", "\"duplicates\":0");
        WebhookReply down = intake.unavailable(receive(intake, "{\"id\":\"1\"}"), new IllegalStateException("x"));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.retryAfter()).isEqualTo(30);
    }

    @Test
    void secretComesFromExactlyOneOfEnvironmentAndFile(@TempDir Path dir) throws Exception {
        WebhookIntake both = new WebhookIntake();
        both.getOptions().put("source", "partner");
        both.getOptions().put("format", "json");
        both.getOptions().put("mapping", "key: id");
        both.getOptions().put("auth", "token");
        both.getOptions().put("secret-env", "PARTNER_TOKEN");
        both.getOptions().put("secret-file", dir.resolve("token").toString());
        assertThatThrownBy(both::init).hasMessageContaining("exactly one");

        WebhookIntake fromFile = new WebhookIntake();
        fromFile.getOptions().put("source", "partner");
        fromFile.getOptions().put("format", "json");
        fromFile.getOptions().put("mapping", "key: id");
        fromFile.getOptions().put("auth", "token");
        fromFile.getOptions().put("secret-file", Files.writeString(dir.resolve("token"), "from-file\n").toString());
        fromFile.init();
        assertThat(fromFile.receive(Map.of("Authorization", "Bearer from-file"), "{\"id\":\"1\"}".getBytes()).answered()).isFalse();

        WebhookIntake unset = new WebhookIntake();
        unset.getOptions().put("source", "partner");
        unset.getOptions().put("format", "json");
        unset.getOptions().put("mapping", "key: id");
        unset.getOptions().put("auth", "token");
        unset.getOptions().put("secret-env", "NO_SUCH_VARIABLE_SET");
        unset.setEnvironment(name -> null);
        assertThatThrownBy(unset::init).hasMessageContaining("NO_SUCH_VARIABLE_SET");

        WebhookIntake csv = new WebhookIntake();
        csv.getOptions().put("format", "csv");
        csv.getOptions().put("mapping", "key: id");
        assertThatThrownBy(csv::init).hasMessageContaining("json or xml");
    }
}
