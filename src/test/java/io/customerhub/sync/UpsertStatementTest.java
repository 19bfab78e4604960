package io.customerhub.sync;

import io.customerhub.connect.SqlIdentifier;
import io.customerhub.sync.UpsertStatement.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpsertStatementTest {

    static final SqlIdentifier TABLE = SqlIdentifier.table("table", "sales.customer");
    static final List<SqlIdentifier> COLUMNS = List.of(SqlIdentifier.column("key-column", "kunnr"),
            SqlIdentifier.column("c", "name1"), SqlIdentifier.column("c", "changed_at"));

    @Test
    void eachDialectUpsertsByTheKeyWithEveryValueABindParameter() {
        assertThat(new UpsertStatement(Dialect.POSTGRESQL, TABLE, COLUMNS).sql()).isEqualTo(
                "INSERT INTO sales.customer (kunnr, name1, changed_at) VALUES (?, ?, ?) ON CONFLICT (kunnr)"
                        + " DO UPDATE SET name1 = EXCLUDED.name1, changed_at = EXCLUDED.changed_at");
        assertThat(new UpsertStatement(Dialect.MARIADB, TABLE, COLUMNS).sql()).isEqualTo(
                "INSERT INTO sales.customer (kunnr, name1, changed_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " name1 = VALUES(name1), changed_at = VALUES(changed_at)");
        assertThat(new UpsertStatement(Dialect.H2, TABLE, COLUMNS).sql()).isEqualTo(
                "MERGE INTO sales.customer (kunnr, name1, changed_at) KEY (kunnr) VALUES (?, ?, ?)");
    }

    @Test
    void aTableOfOnlyTheKeyInsertsMissingKeysAndChangesNothingElse() {
        List<SqlIdentifier> key = COLUMNS.subList(0, 1);
        assertThat(new UpsertStatement(Dialect.POSTGRESQL, TABLE, key).sql())
                .isEqualTo("INSERT INTO sales.customer (kunnr) VALUES (?) ON CONFLICT (kunnr) DO NOTHING");
        assertThat(new UpsertStatement(Dialect.MARIADB, TABLE, key).sql())
                .isEqualTo("INSERT INTO sales.customer (kunnr) VALUES (?) ON DUPLICATE KEY UPDATE kunnr = kunnr");
    }

    @ParameterizedTest
    @CsvSource({
            "jdbc:postgresql://db:5432/erp, PostgreSQL, POSTGRESQL",
            "jdbc:mariadb://db:3306/erp, MariaDB, MARIADB",
            "jdbc:mysql://db:3306/erp, MySQL, MARIADB",
            "jdbc:h2:file:/data/erp, H2, H2"})
    void theDialectComesFromTheUrlAndTheDatabase(String url, String product, Dialect dialect) {
        assertThat(Dialect.ofUrl(url)).isEqualTo(dialect);
        assertThat(Dialect.ofProduct(product)).isEqualTo(dialect);
    }

    @Test
    void otherDatabasesHaveNoDialect() {
        assertThat(Dialect.ofUrl("jdbc:oracle:thin:@db:1521/erp")).isNull();
        assertThat(Dialect.ofProduct("Oracle")).isNull();
    }
}
