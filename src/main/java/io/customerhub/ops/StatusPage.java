package io.customerhub.ops;

import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status page on the management server ({@code /observe/hub}, beside Jolokia, behind the server's host binding and
 * authentication): plain HTML, CSS and JavaScript from the jar, no CDN. The page reads and drives the hub MBean through
 * Jolokia ({@code /observe/jolokia}); its content security policy lets it load nothing but itself.
 */
public final class StatusPage {

    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);

    private StatusPage() {
    }

    /** Serves the page on {@code context}'s management server; does nothing when that server is off. */
    public static void serve(CamelContext context) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null) {
            return;
        }
        // beside Jolokia: /observe/hub next to /observe/jolokia
        String jolokia = server.getJolokiaPath();
        String base = jolokia.substring(0, jolokia.lastIndexOf('/')) + "/hub";
        String page = resource("status.html").replace("{{base}}", base).replace("{{jolokia}}", jolokia);
        server.getRouter().get(base).handler(request -> send(request, "text/html", page));
        String script = resource("status.js");
        server.getRouter().get(base + "/status.js").handler(request -> send(request, "text/javascript", script));
        String style = resource("status.css");
        server.getRouter().get(base + "/status.css").handler(request -> send(request, "text/css", style));
        LOG.info("Status page: http://{}:{}{}", server.getHost(), server.getPort(), base);
    }

    private static void send(RoutingContext request, String type, String body) {
        request.response()
                .putHeader("Content-Type", type + "; charset=utf-8")
                .putHeader("Content-Security-Policy", SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store")
                .end(body);
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream("status/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
