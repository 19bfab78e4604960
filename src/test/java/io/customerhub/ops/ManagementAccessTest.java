package io.customerhub.ops;

import io.customerhub.testing.FreePort;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The management server on the real hub: reachable from other hosts only with credentials. */
class ManagementAccessTest {

    @TempDir
    Path dir;

    @Test
    void aManagementServerOnEveryInterfaceWithoutAuthenticationStopsTheStart() throws IOException {
        HubHome home = HubHome.copyOfProject(dir);

        assertThatThrownBy(() -> RunningHub.start(home, Map.of("camel.management.enabled", "true",
                "camel.management.host", "0.0.0.0", "camel.management.port", String.valueOf(FreePort.next()))).close())
                .hasStackTraceContaining("camel.management.host is 0.0.0.0")
                .hasStackTraceContaining("camel.management.authentication-enabled=true");
    }

    @Test
    void withAuthenticationOnEveryInterfaceItAnswersOnlyCallersWithCredentials() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Path users = Files.writeString(dir.resolve("management-users.properties"), "user.scraper = s3cret-pass,observer\n");
        int port = FreePort.next();

        try (RunningHub hub = RunningHub.start(home, Map.of("camel.management.enabled", "true",
                "camel.management.host", "0.0.0.0", "camel.management.port", String.valueOf(port),
                "camel.management.authentication-enabled", "true", "camel.management.basic-properties-file", users.toString()))) {
            assertThat(get(port, "/observe/health", null).statusCode()).isEqualTo(401);
            assertThat(get(port, "/observe/metrics", "scraper:wrong").statusCode()).isEqualTo(401);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> health = get(port, "/observe/health", "scraper:s3cret-pass");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("UP");
            });
        }
    }

    private static HttpResponse<String> get(int port, String path, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
