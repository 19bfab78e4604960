package io.customerhub.ingest;

import io.customerhub.testing.FreePort;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real webhook-source template, pipeline and H2 store, in-process, answering real HTTP
 * requests: what a push ends as in the store and the quarantine, and what the sender is told.
 * One hub serves every test; each test uses its own record keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookRoutesTest {

    private static final String TOKEN = "s3cret-token-for-tests";
    private static final String HMAC_SECRET = "It's a Secret to Everybody";

    HubHome home;
    RunningHub hub;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        home = HubHome.copyOfProject(dir.resolve("home"));
        Path tokenFile = Files.writeString(dir.resolve("partner.token"), TOKEN + "\n");
        Path hmacFile = Files.writeString(dir.resolve("signed.secret"), HMAC_SECRET);
        Files.writeString(home.root().resolve("routes/sources/partner.camel.yaml"), source("partner", """
                      - name: auth
                        value: token
                      - name: secret-file
                        value: "%s"
                      - name: max-body-bytes
                        value: "4096"
                """.formatted(tokenFile)));
        Files.writeString(home.root().resolve("routes/sources/signed.camel.yaml"), source("signed", """
                      - name: auth
                        value: hmac
                      - name: secret-file
                        value: "%s"
                """.formatted(hmacFile)));
        port = FreePort.next();
        hub = RunningHub.start(home, Map.of("camel.server.port", String.valueOf(port)));
    }

    private static String source(String name, String auth) {
        return """
                - templatedRoute:
                    routeTemplateRef: webhook-source
                    routeId: %s-webhook
                    parameters:
                      - name: source
                        value: %s
                      - name: format
                        value: json
                %s      - name: mapping
                        value: |
                          key: id
                          fields:
                            fullName: name
                            email: email
                            phone: mobile
                """.formatted(name, name, auth);
    }

    @AfterAll
    void stop() {
        hub.close();
    }

    @Test
    void wrongOrMissingTokenIsRefusedWith401AndNothingIsStored() throws Exception {
        HttpResponse<String> wrong = post("partner", "{\"id\":\"T1\",\"name\":\"王芳\"}", "Authorization", "Bearer not-the-token");
        HttpResponse<String> missing = post("partner", "{\"id\":\"T1\",\"name\":\"王芳\"}");

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"error\":\"unauthorized\"").doesNotContain(TOKEN);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(rows("partner", "T1")).isEmpty();
        assertThat(hub.query("SELECT * FROM quarantine WHERE source = ? AND source_key = ?", "partner", "T1")).isEmpty();
    }

    @Test
    void goodTokenStoresTheRecordBeforeTheAnswerArrives() throws Exception {
        HttpResponse<String> response = post("partner", """
                {
                  "id": "T2",
                  "name": "李娜",
                  "email": "li.na@example.com",
                  "mobile": "13912345678"
                }""", "Authorization", "Bearer " + TOKEN, "X-Request-Id", "req-42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Authorization")).isEmpty();
        assertThat(response.body()).contains("\"request\":\"req-42\"", "\"received\":1", "\"stored\":1",
                "\"created\":1", "\"quarantined\":0", "\"duplicates\":0");
        // no waiting: the answer comes after the store transaction
        assertThat(rows("partner", "T2")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("full_name", "李娜").containsEntry("phone", "+8613912345678")
                .containsEntry("origin", "webhook:req-42").containsEntry("position", 0L));
    }

    @Test
    void ndjsonAndArraysStoreEveryRecordWithItsIndex() throws Exception {
        HttpResponse<String> ndjson = post("partner", "{\"id\":\"N1\",\"name\":\"赵敏\"}\n{\"id\":\"N2\",\"name\":\"钱坤\"}\n",
                "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> array = post("partner", "[{\"id\":\"A1\",\"name\":\"孙悦\"},{\"id\":\"A2\",\"name\":\"周洁\"}]",
                "Authorization", "Bearer " + TOKEN);

        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.body()).contains("\"stored\":2");
        assertThat(array.statusCode()).isEqualTo(200);
        assertThat(rows("partner", "N2")).singleElement().satisfies(row -> assertThat(row).containsEntry("position", 1L));
        assertThat(rows("partner", "A1")).singleElement().satisfies(row -> assertThat(row).containsEntry("position", 0L));
        assertThat(rows("partner", "A2")).hasSize(1);
    }

    @Test
    void hmacSignatureMustMatchTheBody() throws Exception {
        String body = "{\"id\":\"H1\",\"name\":\"陈静\",\"email\":\"chen.jing@example.com\"}";
        String signature = "sha256=" + hmac(HMAC_SECRET, body);

        HttpResponse<String> tampered = post("signed", body.replace("陈静", "陈镜"), "X-Hub-Signature-256", signature);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(tampered.body()).contains("wrong signature");
        assertThat(rows("signed", "H1")).isEmpty();

        HttpResponse<String> good = post("signed", body, "X-Hub-Signature-256", signature);
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(rows("signed", "H1")).singleElement().satisfies(row -> assertThat(row).containsEntry("full_name", "陈静"));
    }

    @Test
    void invalidRecordIsAnswered200AndCountedAsQuarantined() throws Exception {
        HttpResponse<String> response = post("partner", "[{\"id\":\"Q1\",\"email\":\"nobody@example.com\"},{\"id\":\"Q2\",\"name\":\"吴磊\"}]",
                "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"received\":2", "\"stored\":1", "\"quarantined\":1");
        assertThat(rows("partner", "Q2")).hasSize(1);
        assertThat(hub.query("SELECT reason, origin, position FROM quarantine WHERE source = ? AND source_key = ?", "partner", "Q1"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("reason").toString()).contains("fullName");
                    assertThat(row.get("origin").toString()).startsWith("webhook:");
                    assertThat(row).containsEntry("position", 0L);
                });
    }

    @Test
    void unparseableBodyIsQuarantinedAndAnswered400WithTheReason() throws Exception {
        HttpResponse<String> response = post("partner", "{\"id\":\"U1\", \"name\": \"broken", "Authorization", "Bearer " + TOKEN,
                "X-Request-Id", "broken-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"unparseable\"", "not JSON", "\"quarantined\":1");
        assertThat(hub.query("SELECT rule, reason, payload FROM quarantine WHERE source = ? AND origin = ?", "partner", "webhook:broken-1"))
                .singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("rule", "parse");
                    assertThat(row.get("reason").toString()).contains("not JSON");
                    assertThat(row.get("payload").toString()).contains("broken");
                });
    }

    @Test
    void sameRecordSentAgainIsADuplicateStoredOnce() throws Exception {
        String body = "{\"id\":\"D1\",\"name\":\"郑爽\",\"email\":\"zheng@example.com\"}";
        HttpResponse<String> first = post("partner", body, "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> again = post("partner", body, "Authorization", "Bearer " + TOKEN);

        assertThat(first.body()).contains("\"created\":1", "\"duplicates\":0");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"stored\":0", "\"duplicates\":1");
        assertThat(rows("partner", "D1")).hasSize(1);
    }

    @Test
    void otherMethodsGet405AndTooLargeBodies413() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("partner"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> large = post("partner", "[" + "{\"id\":\"L1\",\"name\":\"x\"},".repeat(300) + "{}]",
                "Authorization", "Bearer " + TOKEN);
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri("partner"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"F1\",\"name\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(rows("partner", "L1")).isEmpty();
        assertThat(rows("partner", "F1")).isEmpty();
    }

    @Test
    void storeDownIsAnswered503WithRetryAfterAndNothingIsStored() throws Exception {
        hub.update("ALTER TABLE customer_source RENAME TO customer_source_away");
        HttpResponse<String> down;
        try {
            down = post("partner", "{\"id\":\"S1\",\"name\":\"冯刚\"}", "Authorization", "Bearer " + TOKEN);
        } finally {
            hub.update("ALTER TABLE customer_source_away RENAME TO customer_source");
        }
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(down.body()).contains("\"error\":\"unavailable\"");
        assertThat(rows("partner", "S1")).isEmpty();

        HttpResponse<String> retried = post("partner", "{\"id\":\"S1\",\"name\":\"冯刚\"}", "Authorization", "Bearer " + TOKEN);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(rows("partner", "S1")).hasSize(1);
    }

    private List<Map<String, Object>> rows(String source, String key) {
        return hub.query("SELECT * FROM customer_source WHERE source = ? AND source_key = ?", source, key);
    }

    private HttpResponse<String> post(String source, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(source))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String source) {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/" + source);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

}
