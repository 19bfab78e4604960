package io.customerhub.store;

import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.SourceSnapshot.Edit;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupEditsTest {

    private static final Instant T = Instant.parse("2026-12-06T23:00:00Z");

    /**
     * ConvergenceIT's pair 62: the hub PATCHed a new name to an API record, carrying the city the record held already; the
     * API's user then changed the city and, later, set it back. Setting it back is the user's edit: the write had landed
     * (read back holding its values), though its city was no change there.
     */
    @Test
    void aUserSettingBackAValueTheHubWroteWhereTheRecordHeldItAlreadyIsAnEdit() {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.FULL_NAME, "Li Lei");
        values.put(CanonicalField.COUNTRY, "CN");
        values.put(CanonicalField.CITY, "武汉市");
        GroupEdits.Written written = new GroupEdits.Written(EnumSet.of(CanonicalField.FULL_NAME, CanonicalField.COUNTRY,
                CanonicalField.CITY), List.of(new GroupEdits.Write(values, T.plusSeconds(14), Map.of(), true)), T.plusSeconds(15));

        Map<FieldGroup, Edit> edits = GroupEdits.after(Map.of(), api("Li Wei", "武汉市"), T, api("Li Lei", "武汉市"), written,
                T.plusSeconds(16));
        assertThat(edits.get(FieldGroup.NAME).isEcho()).as("the name read back").isTrue();
        edits = GroupEdits.after(edits, api("Li Lei", "武汉市"), T.plusSeconds(16), api("Li Lei", "杭州市"), written, T.plusSeconds(22));
        assertThat(edits.get(FieldGroup.ADDRESS).isEcho()).as("the user's change").isFalse();
        edits = GroupEdits.after(edits, api("Li Lei", "杭州市"), T.plusSeconds(22), api("Li Lei", "武汉市"), written, T.plusSeconds(29));

        assertThat(edits.get(FieldGroup.ADDRESS).isEcho()).as("the user's setting back").isFalse();
        assertThat(edits.get(FieldGroup.ADDRESS).at()).isEqualTo(T.plusSeconds(29));
    }

    private static CustomerRecord api(String name, String city) {
        return new CustomerRecord("api", "A0000", null, name, name.split(" ")[0], name.split(" ")[1], Gender.U, (LocalDate) null,
                null, null, null, new PostalAddress("CN", null, city, null, null, null), null, null);
    }
}
