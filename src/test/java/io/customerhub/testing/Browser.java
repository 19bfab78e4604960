package io.customerhub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver protocol (Debian packages {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs): a real browser that loads a page, runs its scripts, clicks
 * and takes screenshots. Without them the calling test is skipped, and fails in CI.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final URI session;
    private final HttpClient http = HttpClient.newHttpClient();

    private Browser(Process driver, URI session) {
        this.driver = driver;
        this.session = session;
    }

    /** Starts chromedriver and a headless Chromium session with a window of 1300 × 1100. */
    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw RequiredService.missing("browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)");
        }
        int port = FreePort.next();
        try {
            Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            URI root = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ConnectException.class)
                    .until(() -> http.send(HttpRequest.newBuilder(root.resolve("/status")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            ObjectNode capabilities = JSON.createObjectNode();
            ObjectNode chrome = capabilities.putObject("capabilities").putObject("alwaysMatch")
                    .put("browserName", "chrome").putObject("goog:chromeOptions").put("binary", CHROMIUM.toString());
            List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1300,1100")
                    .forEach(chrome.putArray("args")::add);
            JsonNode created = send(http, "POST", root.resolve("/session"), capabilities);
            return new Browser(driver, root.resolve("/session/" + created.path("value").path("sessionId").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void open(String url) {
        command("POST", "url", JSON.createObjectNode().put("url", url));
    }

    /** The visible text of the first element that {@code css} selects, or null when none does. */
    public String text(String css) {
        String element = find(css);
        return element == null ? null : command("GET", "element/" + element + "/text", null).path("value").asText();
    }

    public void click(String css) {
        String element = find(css);
        if (element == null) {
            throw new AssertionError("nothing on the page matches " + css);
        }
        command("POST", "element/" + element + "/click", JSON.createObjectNode());
    }

    /** Writes a PNG screenshot of the window to {@code file}. */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(command("GET", "screenshot", null).path("value").asText()));
    }

    private String find(String css) {
        JsonNode found = command("POST", "elements", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return found.path("value").isEmpty() ? null : found.path("value").get(0).elements().next().asText();
    }

    private JsonNode command(String method, String path, ObjectNode body) {
        try {
            return send(http, method, path.isEmpty() ? session : URI.create(session + "/" + path), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode send(HttpClient http, String method, URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + uri + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        try {
            command("DELETE", "", null);
        } finally {
            driver.destroy();
        }
    }
}
