package io.customerhub.ingest;

import io.customerhub.connect.SqlIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetQueryTest {

    private static final SqlIdentifier UPDATED = SqlIdentifier.column("updated-column", "updated_at");
    private static final SqlIdentifier KEY = SqlIdentifier.column("key-column", "id");

    @Test
    void pagesATableByUpdatedAtThenKeyWithBindParameters() {
        KeysetQuery query = KeysetQuery.ofTable(SqlIdentifier.table("table", "sales.customer"), UPDATED, KEY);

        assertThat(query.everything()).isEqualTo("SELECT * FROM sales.customer t WHERE t.updated_at IS NOT NULL"
                + " AND t.id IS NOT NULL ORDER BY t.updated_at, t.id");
        assertThat(query.since()).isEqualTo("SELECT * FROM sales.customer t WHERE t.updated_at >= ?"
                + " AND t.id IS NOT NULL ORDER BY t.updated_at, t.id");
        assertThat(query.after()).isEqualTo("SELECT * FROM sales.customer t WHERE (t.updated_at > ?"
                + " OR (t.updated_at = ? AND t.id > ?)) AND t.id IS NOT NULL ORDER BY t.updated_at, t.id");
    }

    @Test
    void wrapsTheIntegratorsSelectAsADerivedTable() {
        KeysetQuery query = KeysetQuery.ofSelect("  select c.id, c.updated_at, a.city -- with the address\n"
                + "from customer c join address a on a.customer_id = c.id ", UPDATED, KEY);

        assertThat(query.since()).isEqualTo("SELECT * FROM (\nselect c.id, c.updated_at, a.city -- with the address\n"
                + "from customer c join address a on a.customer_id = c.id\n) t WHERE t.updated_at >= ?"
                + " AND t.id IS NOT NULL ORDER BY t.updated_at, t.id");
        assertThat(KeysetQuery.ofSelect("WITH x AS (SELECT 1) SELECT * FROM x", UPDATED, KEY).relation())
                .startsWith("(\nWITH x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE FROM customer", "selectx from t", "SELECT 1; DROP TABLE customer",
            "SELECT * FROM t WHERE id = ?", "", "customer"})
    void refusesAnythingButOneSelect(String select) {
        assertThatThrownBy(() -> KeysetQuery.ofSelect(select, UPDATED, KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("query:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"updated_at", "UPDATED_AT", "_x", "a1", "c123456789012345678901234567890123456789012345678901234567890ab"})
    void acceptsPlainColumnNames(String name) {
        assertThat(SqlIdentifier.column("key-column", name).text()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id; DROP TABLE x", "1id", "id--", "\"id\"", "id name", "a.b", "upd`", "名前", " id",
            "c123456789012345678901234567890123456789012345678901234567890abc"})
    void refusesColumnNamesThatAreNotPlainIdentifiers(String name) {
        assertThatThrownBy(() -> SqlIdentifier.column("key-column", name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key-column: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer", "sales.customer", "db.sales.customer"})
    void acceptsTablesQualifiedBySchema(String name) {
        assertThat(SqlIdentifier.table("table", name).text()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer t", "(select 1)", "a.b.c.d", "sales.", ".customer", "customer;", ""})
    void refusesOtherTableExpressions(String name) {
        assertThatThrownBy(() -> SqlIdentifier.table("table", name))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table: ");
    }
}
