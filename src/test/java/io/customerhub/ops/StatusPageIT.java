package io.customerhub.ops;

import io.customerhub.testing.Browser;
import io.customerhub.testing.FreePort;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.HubProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The status page in headless Chromium against the packaged daemon: what it shows, and its pause and resume. */
class StatusPageIT {

    /** Where the screenshot is left for a look (README shows one taken so). */
    private static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheSourcesTheirQuarantineAndDataQualityAndPausesAndResumesASource() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        home.dropSample("crm", "customers-20261125.csv");
        home.dropSample("shop", "customers-api-dump.json");
        int port = FreePort.next();
        String page = "http://127.0.0.1:" + port + "/observe/hub";
        try (HubProcess hub = HubProcess.start(home, Map.of("HUB_MANAGEMENT_PORT", Integer.toString(port)), List.of());
             Browser browser = Browser.start()) {
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            browser.open(page);
            // both files stored: 6 CRM records (C1006 quarantined for its birth date) and 4 of the shop, Michael Chen in both
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                browser.open(page);
                await().atMost(Duration.ofSeconds(10)).until(() -> !"–".equals(browser.text("#golden")));
                assertThat(browser.text("#golden")).isEqualTo("9");
                assertThat(browser.text("#quality [data-source=shop] h3")).startsWith("shop: 4 records");
            });
            assertThat(browser.text("#quarantine")).isEqualTo("1");
            assertThat(browser.text("#reasons")).contains("format:birthDate");
            assertThat(browser.text("#sources tbody")).contains("crm").contains("oa").contains("shop");
            assertThat(browser.text("tr[data-source=crm] .open-quarantine")).isEqualTo("1");
            assertThat(browser.text("#quality [data-source=crm]")).contains("crm: 6 records").contains("birthDate")
                    .contains("1 invalid");
            assertThat(browser.text("#home")).isEqualTo(home.root().toString());
            browser.screenshot(SCREENSHOT);
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);

            browser.click("tr[data-source=crm] button[data-action=pause]");
            await().atMost(Duration.ofSeconds(20)).until(() -> "Suspended".equals(browser.text("tr[data-source=crm] td:nth-child(2)")));
            assertThat(browser.text("#message")).isEqualTo("crm paused: crm-ingest suspended");
            assertThat(jolokiaState(port, "crm-ingest")).as("on the daemon").contains("\"value\":\"Suspended\"");

            browser.click("tr[data-source=crm] button[data-action=resume]");
            await().atMost(Duration.ofSeconds(20)).until(() -> "Started".equals(browser.text("tr[data-source=crm] td:nth-child(2)")));
            assertThat(jolokiaState(port, "crm-ingest")).contains("\"value\":\"Started\"");
        }
    }

    private static String jolokiaState(int port, String route) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/jolokia"))
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=customer-hub,"
                        + "type=routes,name=\\\"" + route + "\\\"\",\"attribute\":\"State\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
