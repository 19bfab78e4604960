package io.customerhub.sync;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.WriteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The jdbc-sync writer's parameters, checked at route creation without a database. */
class JdbcSyncWriterTest {

    static JdbcSyncWriter writer() {
        JdbcSyncWriter writer = new JdbcSyncWriter();
        writer.getOptions().put("source", "erp");
        writer.getOptions().put("url", "jdbc:h2:mem:erp");
        writer.getOptions().put("table", "sales.customer");
        writer.getOptions().put("key-column", "kunnr");
        writer.getOptions().put("mapping", """
                key: kunnr
                updated-at: changed_at
                fields:
                  fullName: name1
                  givenName: { split: name1, on: " ", index: 0 }
                  phone: { first-of: [mobile, tel] }
                  country: { constant: CN }
                """);
        return writer;
    }

    @Test
    void itHoldsTheKeyAndThePlainColumnsOfTheMapping() {
        JdbcSyncWriter writer = writer();
        writer.init();
        assertThat(writer.fields()).containsExactlyInAnyOrder(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME, CanonicalField.PHONE);
        assertThat(writer.writer()).isSameAs(writer);
    }

    @Test
    void anEmptyBatchNeedsNoDatabase() throws Exception {
        JdbcSyncWriter writer = writer();
        writer.getOptions().put("url", "jdbc:postgresql://127.0.0.1:1/erp");
        writer.init();
        assertThat(writer.write(List.of()).stream().map(WriteOutcome::error).toList()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "url            | jdbc:oracle:thin:@db:1521/erp  | sync erp: url: jdbc:oracle:thin:@db:1521/erp is no PostgreSQL, MariaDB/MySQL or H2 database",
            "url            | jdbc:postgresql://db/erp?password=x | sync erp: url: holds a password; name it with password-env or password-file instead",
            "table          | customer; DROP TABLE x         | sync erp: table: 'customer; DROP TABLE x' is not a table name (letters, digits, _; optionally schema.table)",
            "key-column     | id                             | sync erp: key-column: id, but the mapping's key is kunnr; the hub's source key is the target's key, so they must name the same column",
            "updated-column | changed-at                     | sync erp: updated-column: 'changed-at' is not a column name (letters, digits, _)",
            "deleted-column | name1                          | sync erp: column name1 is written twice (by the mapping, key-column, updated-column or deleted-column); each column may be written once",
            "mapping        | 'key: kunnr\nfields:\n  email: contact.email' | sync erp: mapping: fields.email: 'contact.email' is not a column name (letters, digits, _)",
            "password-env   | ERP_SYNC_TEST_UNSET_VARIABLE   | sync erp: password-env: the environment variable ERP_SYNC_TEST_UNSET_VARIABLE is not set",
            "time-zone      | Mars/Olympus                   | sync erp: time-zone: 'Mars/Olympus' is not a time zone such as Asia/Shanghai"})
    void aWrongParameterFailsRouteCreationNamingIt(String parameter, String value, String message) {
        JdbcSyncWriter writer = writer();
        writer.getOptions().put(parameter, value.replace("\\n", "\n"));
        assertThatThrownBy(writer::init).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
