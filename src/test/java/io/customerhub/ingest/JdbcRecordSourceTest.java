package io.customerhub.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parameter checks of the jdbc-source reader: a bad parameter fails route creation, a database that is down does not. */
class JdbcRecordSourceTest {

    @TempDir
    Path dir;

    private static JdbcRecordSource reader(Consumer<JdbcRecordSource> change) {
        JdbcRecordSource reader = new JdbcRecordSource();
        reader.setSource("erp");
        reader.getEndpoint().setUrl("jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
        reader.getEndpoint().setUser("hub");
        reader.setTable("erp_customer");
        reader.setUpdatedColumn("updated_at");
        reader.setKeyColumn("id");
        reader.setMapping("key: id\nfields:\n  fullName: name\n");
        change.accept(reader);
        return reader;
    }

    @Test
    void validParametersNeedNoConnection() {
        assertThatCode(() -> reader(r -> { }).init()).doesNotThrowAnyException();
        assertThatCode(() -> reader(r -> r.getEndpoint().setUrl("jdbc:mariadb://127.0.0.1:1/test")).init()).doesNotThrowAnyException();
        assertThatCode(() -> reader(r -> r.getEndpoint().setUrl("jdbc:h2:mem:x")).init()).doesNotThrowAnyException();
    }

    @Test
    void aPollOfADatabaseThatIsDownFailsNamingTheSource() {
        JdbcRecordSource reader = reader(r -> r.getEndpoint().setConnectTimeout(300));
        reader.init();
        try {
            assertThatThrownBy(() -> reader.batches(null).hasNext())
                    .isInstanceOf(SourceReadException.class).hasMessageStartingWith("source erp: cannot read");
        } finally {
            reader.stop();
        }
    }

    @Test
    void aPasswordFileIsReadableAtStart() throws Exception {
        Path secret = Files.writeString(dir.resolve("erp-password"), "s3cret\n");
        assertThatCode(() -> reader(r -> r.getEndpoint().setPasswordFile(secret.toString())).init()).doesNotThrowAnyException();
        assertThatThrownBy(() -> reader(r -> r.getEndpoint().setPasswordFile(dir.resolve("missing").toString())).init())
                .hasMessage("source erp: password-file: cannot read " + dir.resolve("missing"));
    }

    @Test
    void badParametersAreRefusedByName() {
        assertRefused(r -> r.setSource("ERP"), "source: 'ERP' is not a kebab-case source name");
        assertRefused(r -> r.getEndpoint().setUrl("postgresql://x"), "source erp: url: expected a JDBC URL");
        assertRefused(r -> r.getEndpoint().setUrl("jdbc:nosuchdb://x"), "source erp: url: no JDBC driver for jdbc:nosuchdb://x");
        assertRefused(r -> r.getEndpoint().setUrl("jdbc:postgresql://h/db?user=a&password=secret"), "source erp: url: holds a password");
        assertRefused(r -> {
            r.getEndpoint().setPasswordEnv("ERP_PASSWORD");
            r.getEndpoint().setPasswordFile("/run/secrets/erp");
        }, "source erp: password-env and password-file: set one of them");
        assertRefused(r -> r.getEndpoint().setPasswordEnv("HUB_TEST_SURELY_UNSET_VARIABLE"),
                "source erp: password-env: the environment variable HUB_TEST_SURELY_UNSET_VARIABLE is not set");
        assertRefused(r -> r.getEndpoint().setPasswordEnv("$(cat x)"), "source erp: password-env: '$(cat x)' is not an environment variable name");
        assertRefused(r -> r.setQuery("SELECT * FROM erp_customer"), "source erp: table and query: set exactly one");
        assertRefused(r -> r.setTable("-"), "source erp: table and query: set exactly one");
        assertRefused(r -> r.setTable("erp_customer; DROP TABLE x"), "source erp: table: 'erp_customer; DROP TABLE x' is not a table name");
        assertRefused(r -> r.setUpdatedColumn("updated at"), "source erp: updated-column: 'updated at' is not a column name");
        assertRefused(r -> r.setKeyColumn(null), "source erp: key-column: required");
        assertRefused(r -> {
            r.setTable("-");
            r.setQuery("UPDATE erp_customer SET x = 1");
        }, "source erp: query: expected one SELECT statement");
        assertRefused(r -> r.setMapping("key: id\ngroup-rows: true\n"), "source erp: mapping: group-rows is not supported");
        assertRefused(r -> r.setMapping("fields:\n  fullName: name\n"), "source erp: key: required");
        assertRefused(r -> r.setBatchSize(0), "source erp: batch-size: must be at least 1");
        assertRefused(r -> r.getEndpoint().setPoolSize(0), "source erp: pool-size: must be at least 1");
        assertRefused(r -> r.getEndpoint().setConnectTimeout(10), "source erp: connect-timeout: at least 250 ms");
        assertRefused(r -> r.setOverlap("5 minutes"), "source erp: overlap: '5 minutes' is not an ISO-8601 duration");
        assertRefused(r -> r.setOverlap("-PT5M"), "source erp: overlap: must not be negative");
        assertRefused(r -> r.getEndpoint().setTimeZone("Mars/Olympus"), "source erp: time-zone: 'Mars/Olympus' is not a time zone such as Asia/Shanghai");
    }

    private static void assertRefused(Consumer<JdbcRecordSource> change, String message) {
        assertThatThrownBy(() -> reader(change).init()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void initCanRunTwice() {
        JdbcRecordSource reader = reader(r -> { });
        reader.init();
        reader.init();
        assertThat(reader.reader()).isSameAs(reader);
    }
}
