package io.customerhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerhub.testing.CustomerApiServer;
import io.customerhub.testing.CustomerField;
import io.customerhub.testing.ErpTable;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.SourceDeclaration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code discover} (the hub MBean's operations, which the commands call) against real systems: an ERP
 * table on PostgreSQL read and written back, the same table under a mapping naming a column it lacks, MariaDB with a
 * wrong password, a database port nothing listens on, an HTTP API read and written back with the right token and read
 * with a wrong one, and a file source with a file in its inbox.
 */
class CheckAndDiscoverTest {

    private static final String MAPPING = """
            key: kunnr
            updated-at: updated_at
            fields:
              fullName: name1
              email: email
              phone: mobile
              city: city
            """;

    private static final String API_MAPPING = """
            key: id
            updated-at: updated_at
            fields:
              fullName: name
              email: contact.email
            """;

    @TempDir
    Path dir;

    @Test
    void eachSystemIsReportedReachableAuthenticatedAndWithTheFieldsItsMappingNamesOrWhatIsWrong() throws Exception {
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        Path sources = home.root().resolve("routes/sources");
        Path noPassword = Files.writeString(dir.resolve("no-password"), "");
        Path wrongPassword = Files.writeString(dir.resolve("wrong-password"), "not-the-password");
        Path token = Files.writeString(dir.resolve("token"), CustomerApiServer.TOKEN);
        Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "not-the-token");
        try (ErpTable erp = ErpTable.create(false);
             CustomerApiServer api = new CustomerApiServer(Duration.ZERO, Duration.ZERO, 0)) {
            api.add("A-1", Map.of(CustomerField.NAME, "Ada Lovelace", CustomerField.EMAIL, "ada@example.com"));
            Map<String, String> table = new LinkedHashMap<>(Map.of("url", ErpTable.URL, "user", erp.user,
                    "password-file", noPassword.toString(), "table", erp.table, "key-column", "kunnr",
                    "updated-column", "updated_at"));
            Files.writeString(sources.resolve("erp.camel.yaml"),
                    SourceDeclaration.ingestAndSync("erp", "jdbc-source", table, "jdbc-sync", table, MAPPING));
            Files.writeString(sources.resolve("legacy.camel.yaml"), jdbcSource("legacy", ErpTable.URL, erp.user,
                    noPassword, erp.table, MAPPING.replace("phone: mobile", "phone: phone_no")));
            Files.writeString(sources.resolve("maria.camel.yaml"), jdbcSource("maria", "jdbc:mariadb://127.0.0.1:3306/test",
                    "root", wrongPassword, "customers", MAPPING));
            Files.writeString(sources.resolve("gone.camel.yaml"), jdbcSource("gone", "jdbc:postgresql://127.0.0.1:1/test",
                    erp.user, noPassword, "customers", MAPPING));
            Map<String, String> apiSync = new LinkedHashMap<>(Map.of("create-url", api.url(), "update-url", api.url() + "/{key}",
                    "auth", "bearer", "token-file", token.toString()));
            Map<String, String> apiIngest = new LinkedHashMap<>(Map.of("url", api.url(), "record-path", "data", "auth", "bearer",
                    "token-file", token.toString(), "max-attempts", "1", "poll-interval", "600000"));
            Files.writeString(sources.resolve("api.camel.yaml"), SourceDeclaration.ingestAndSync("api", "http-source", apiIngest,
                    "http-sync", apiSync, API_MAPPING));
            Files.writeString(sources.resolve("locked.camel.yaml"), httpSource("locked", api.url(), wrongToken));
            home.dropSample("crm", "customers-20261125.csv");

            try (RunningHub hub = RunningHub.start(home, Map.of("hub.poll.retry-delay", "60000"))) {
                HubControl control = hub.bean("hubControl", HubControl.class);

                assertThat(control.check("erp")).contains("erp source (jdbc:postgresql://127.0.0.1:5432/test table " + erp.table
                        + "): reachable, authenticated").contains("erp sync target (").doesNotContain("unreachable");
                assertThat(failure(() -> control.check("legacy"))).contains("the mapping names fields it does not have: phone_no");
                assertThat(failure(() -> control.check("maria"))).contains("maria source (jdbc:mariadb://127.0.0.1:3306/test"
                        + " table customers): reachable, but the credentials were refused").contains("Access denied");
                assertThat(failure(() -> control.check("gone"))).contains("gone source (jdbc:postgresql://127.0.0.1:1/test table"
                        + " customers): unreachable");
                assertThat(control.check("api")).contains("api source (http://127.0.0.1:").contains("reachable, authenticated")
                        .contains("api sync target (http://127.0.0.1:").contains("(GET answered HTTP 200)");
                assertThat(failure(() -> control.check("locked"))).contains("credentials were refused").contains("HTTP 401");
                assertThat(control.check("crm")).contains("crm source (").contains("reachable, authenticated");
                String all = failure(() -> control.check(""));
                assertThat(all.lines()).as(all).anyMatch(line -> line.startsWith("erp source"))
                        .anyMatch(line -> line.startsWith("gone source")).anyMatch(line -> line.startsWith("crm source"));
                assertThat(failure(() -> control.check("erpp"))).contains("no source or sync target named erpp");

                assertThat(control.discover("erp").lines().toList()).as("the table's columns")
                        .contains("kunnr", "name1", "email", "mobile", "city", "updated_at", "deleted");
                assertThat(control.discover("api").lines().toList()).as("the API record's keys")
                        .contains("id", "name", "contact", "updated_at");
                List<String> header = control.discover("crm").lines().toList();
                assertThat(header).as("the CSV header").hasSizeGreaterThan(3);
                assertThat(failure(() -> control.discover("gone"))).contains("unreachable");
            }
        }
    }

    private static String failure(ThrowingCall call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    private interface ThrowingCall {
        void run();
    }

    private static String jdbcSource(String source, String url, String user, Path passwordFile, String table, String mapping) {
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("url", url, "user", user, "password-file", passwordFile.toString(),
                "table", table, "key-column", "kunnr", "updated-column", "updated_at", "connect-timeout", "2000",
                "poll-interval", "600000"));
        return routeOf("jdbc-source", source, parameters, mapping);
    }

    private static String httpSource(String source, String url, Path token) {
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("url", url, "record-path", "data", "auth", "bearer",
                "token-file", token.toString(), "max-attempts", "1", "poll-interval", "600000"));
        return routeOf("http-source", source, parameters, API_MAPPING);
    }

    private static String routeOf(String template, String source, Map<String, String> parameters, String mapping) {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: " + template + "\n    routeId: " + source
                + "-ingest\n    parameters:\n      - { name: source, value: " + source + " }\n");
        parameters.forEach((name, value) -> yaml.append("      - { name: ").append(name).append(", value: \"").append(value)
                .append("\" }\n"));
        yaml.append("      - name: mapping\n        value: |\n");
        mapping.strip().lines().forEach(line -> yaml.append("          ").append(line).append('\n'));
        return yaml.toString();
    }
}
