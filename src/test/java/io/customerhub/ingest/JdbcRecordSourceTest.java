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
        reader.getOptions().put("source", "erp");
        reader.getOptions().put("url", "jdbc:postgresql://127.0.0.1:1/nothing-listens-here");
        reader.getOptions().put("user", "hub");
        reader.getOptions().put("table", "erp_customer");
        reader.getOptions().put("updated-column", "updated_at");
        reader.getOptions().put("key-column", "id");
        reader.getOptions().put("mapping", "key: id\nfields:\n  fullName: name\n");
        change.accept(reader);
        return reader;
    }

    @Test
    void validParametersNeedNoConnection() {
        assertThatCode(() -> reader(r -> { }).init()).doesNotThrowAnyException();
        assertThatCode(() -> reader(r -> r.getOptions().put("url", "jdbc:mariadb://127.0.0.1:1/test")).init()).doesNotThrowAnyException();
        assertThatCode(() -> reader(r -> r.getOptions().put("url", "jdbc:h2:mem:x")).init()).doesNotThrowAnyException();
    }

    @Test
    void aPollOfADatabaseThatIsDownFailsNamingTheSource() {
        JdbcRecordSource reader = reader(r -> r.getOptions().put("connect-timeout", "300"));
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
        assertThatCode(() -> reader(r -> r.getOptions().put("password-file", secret.toString())).init()).doesNotThrowAnyException();
        assertThatThrownBy(() -> reader(r -> r.getOptions().put("password-file", dir.resolve("missing").toString())).init())
                .hasMessage("source erp: password-file: cannot read " + dir.resolve("missing"));
    }

    @Test
    void badParametersAreRefusedByName() {
        assertRefused(r -> r.getOptions().put("source", "ERP"), "source: 'ERP' is not a kebab-case source name");
        assertRefused(r -> r.getOptions().put("url", "postgresql://x"), "source erp: url: expected a JDBC URL");
        assertRefused(r -> r.getOptions().put("url", "jdbc:nosuchdb://x"), "source erp: url: no JDBC driver for jdbc:nosuchdb://x");
        assertRefused(r -> r.getOptions().put("url", "jdbc:postgresql://h/db?user=a&password=secret"), "source erp: url: holds a password");
        assertRefused(r -> {
            r.getOptions().put("password-env", "ERP_PASSWORD");
            r.getOptions().put("password-file", "/run/secrets/erp");
        }, "source erp: password-env and password-file: set one of them");
        assertRefused(r -> r.getOptions().put("password-env", "HUB_TEST_SURELY_UNSET_VARIABLE"),
                "source erp: password-env: the environment variable HUB_TEST_SURELY_UNSET_VARIABLE is not set");
        assertRefused(r -> r.getOptions().put("password-env", "$(cat x)"), "source erp: password-env: '$(cat x)' is not an environment variable name");
        assertRefused(r -> r.getOptions().put("query", "SELECT * FROM erp_customer"), "source erp: table and query: set exactly one");
        assertRefused(r -> r.getOptions().put("table", "-"), "source erp: table and query: set exactly one");
        assertRefused(r -> r.getOptions().put("table", "erp_customer; DROP TABLE x"), "source erp: table: 'erp_customer; DROP TABLE x' is not a table name");
        assertRefused(r -> r.getOptions().put("updated-column", "updated at"), "source erp: updated-column: 'updated at' is not a column name");
        assertRefused(r -> r.getOptions().remove("key-column"), "source erp: key-column: required");
        assertRefused(r -> {
            r.getOptions().put("table", "-");
            r.getOptions().put("query", "UPDATE erp_customer SET x = 1");
        }, "source erp: query: expected one SELECT statement");
        assertRefused(r -> r.getOptions().put("mapping", "key: id\ngroup-rows: true\n"), "source erp: mapping: group-rows is not supported");
        assertRefused(r -> r.getOptions().put("mapping", "fields:\n  fullName: name\n"), "source erp: key: required");
        assertRefused(r -> r.getOptions().put("batch-size", "0"), "source erp: batch-size: must be at least 1");
        assertRefused(r -> r.getOptions().put("pool-size", "0"), "source erp: pool-size: must be at least 1");
        assertRefused(r -> r.getOptions().put("connect-timeout", "10"), "source erp: connect-timeout: at least 250 ms");
        assertRefused(r -> r.getOptions().put("overlap", "5 minutes"), "source erp: overlap: '5 minutes' is not an ISO-8601 duration");
        assertRefused(r -> r.getOptions().put("overlap", "-PT5M"), "source erp: overlap: must not be negative");
        assertRefused(r -> r.getOptions().put("time-zone", "Mars/Olympus"), "source erp: time-zone: 'Mars/Olympus' is not a time zone such as Asia/Shanghai");
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
