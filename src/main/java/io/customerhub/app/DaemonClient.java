package io.customerhub.app;

import io.customerhub.ops.HubControl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The command line's way to a running daemon: the hub MBean's operations through Jolokia on the daemon's management
 * server ({@code camel.management.host}, {@code camel.management.port}, as the home's settings and the environment
 * give them). With the management server's authentication on, the credentials come from {@code HUB_MANAGEMENT_USER}
 * and {@code HUB_MANAGEMENT_PASSWORD}.
 */
public final class DaemonClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI jolokia;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DaemonClient(URI jolokia, String authorization) {
        this.jolokia = jolokia;
        this.authorization = authorization;
    }

    /**
     * The client of the daemon that runs from {@code home}, when one answers on its management port.
     *
     * @throws IllegalStateException when the hub answering there runs from another home
     */
    public static Optional<DaemonClient> find(Path home) throws IOException, InterruptedException {
        DaemonClient client = new DaemonClient(jolokiaUri(home), authorization());
        String running;
        try {
            running = client.call("getHome", List.of());
        } catch (ConnectException e) {
            return Optional.empty();
        }
        if (!Path.of(running).toAbsolutePath().normalize().equals(home.toAbsolutePath().normalize())) {
            throw new IllegalStateException("the hub answering at " + client.jolokia + " runs from " + running + ", not from "
                    + home + ": give its --home, or set this home's management port (HUB_MANAGEMENT_PORT)");
        }
        return Optional.of(client);
    }

    /** Where the daemon's Jolokia answers. */
    public URI uri() {
        return jolokia;
    }

    /**
     * Runs {@code operation} of the hub MBean with {@code arguments} (a getter reads its attribute) and returns its
     * result.
     *
     * @throws IllegalStateException with the daemon's message when the operation failed there
     */
    public String call(String operation, List<String> arguments) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("mbean", HubControl.OBJECT_NAME);
        if (operation.startsWith("get")) {
            request.put("type", "read").put("attribute", operation.substring("get".length()));
        } else {
            request.put("type", "exec").put("operation", operation);
            arguments.forEach(request.putArray("arguments")::add);
        }
        JsonNode answer = send(request);
        if (answer.path("status").asInt() != 200) {
            throw new IllegalStateException(answer.path("error").asText("the daemon answered " + answer)
                    .replaceFirst("^[\\w.$]+(Exception|Error) ?: ?", ""));
        }
        return answer.path("value").asText();
    }

    private JsonNode send(ObjectNode request) throws IOException, InterruptedException {
        HttpRequest.Builder post = HttpRequest.newBuilder(jolokia).timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/json")
                // Jolokia answers only requests that name an allowed origin (jolokia-access.xml): the server's own
                .header("Origin", jolokia.getScheme() + "://" + jolokia.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        if (authorization != null) {
            post.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw new IllegalStateException("the daemon's management server at " + jolokia
                    + " wants credentials: set HUB_MANAGEMENT_USER and HUB_MANAGEMENT_PASSWORD");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the daemon's management server at " + jolokia + " answered "
                    + response.statusCode() + ": is Jolokia on (camel.management.jolokia-enabled)?");
        }
        return JSON.readTree(response.body());
    }

    private static URI jolokiaUri(Path home) throws IOException {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setLocation("file:" + home.resolve("config/application.properties"));
            properties.addOverrideProperty("hub.home", home.toString());
            String host = properties.resolveProperty("camel.management.host").orElse("127.0.0.1");
            String port = properties.resolveProperty("camel.management.port").orElse("9876");
            String path = properties.resolveProperty("camel.management.path").orElse("/observe");
            return URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port + path + "/jolokia");
        }
    }

    private static String authorization() {
        String user = System.getenv("HUB_MANAGEMENT_USER");
        if (user == null || user.isBlank()) {
            return null;
        }
        String password = Optional.ofNullable(System.getenv("HUB_MANAGEMENT_PASSWORD")).orElse("");
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
