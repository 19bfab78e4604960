package io.customerhub;

import io.customerhub.cleanse.CleansingResult;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.DateOrder;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.match.BlockingKeys;
import io.customerhub.match.MatchSettings;
import io.customerhub.match.RecordComparator;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.SourceRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Work per record is bounded by its size: a giant field or row costs time linear in its length in the reader, every
 * cleanser, the blocking keys and the comparisons, even with the length limits lifted, so one record cannot hold up
 * the ones behind it. The budgets are generous (linear work takes well under a second here); work quadratic in the
 * length, as the pinyin readings once were, takes hours on these inputs.
 */
@Tag("break-it")
class GiantInputTest {

    /** 10 MB of text mixing the scripts and characters every cleanser and key looks at. */
    private static final String GIANT = "張偉 Zhang-Wei 13800138000 a.b@x.cn 1990-01-02 Straße 12 ,;\"'\t".repeat(200_000);

    private static final CleansingSettings UNLIMITED = new CleansingSettings("CN", ZoneId.of("Asia/Shanghai"),
            DateOrder.DMY, Set.of(), Integer.MAX_VALUE, Integer.MAX_VALUE);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CanonicalField.class, names = {"SOURCE_KEY", "DELETED"}, mode = EnumSource.Mode.EXCLUDE)
    void aTenMegabyteValueInAnyFieldIsCleansedKeyedAndComparedInLinearTime(CanonicalField field) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.SOURCE_KEY, "G-1");
        values.put(CanonicalField.FULL_NAME, "张伟");
        values.put(field, GIANT);
        CustomerCleanser cleanser = new CustomerCleanser(UNLIMITED, ValidationRules.from(Map.of()));
        RecordComparator comparator = new RecordComparator(MatchSettings.defaults());

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            CustomerRecord record = cleanser.cleanse(new SourceRecord("crm", "giant.csv", 2, values, "{}", null)).record();
            BlockingKeys.of(record);
            comparator.compare(record, record);
            comparator.compare(record, cleanser.cleanse(new SourceRecord("crm", "giant.csv", 3,
                    Map.of(CanonicalField.SOURCE_KEY, "G-2", field, GIANT.replace('1', '7')), "{}", null)).record());
        });
    }

    @Test
    void aRowOfOneHundredThousandColumnsIsReadAndQuarantinedByItsLength() {
        String header = "id,name," + IntStream.range(0, 100_000).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        String row = "1,张伟," + "x,".repeat(99_999) + "x";
        byte[] file = (header + "\n" + row + "\n2,李娜," + "y,".repeat(99_999) + "y\n").getBytes(StandardCharsets.UTF_8);
        FieldMapping mapping = FieldMapping.parse("""
                key: id
                fields:
                  fullName: name
                """);
        CustomerCleanser cleanser = new CustomerCleanser(CleansingSettings.defaults(), ValidationRules.from(Map.of()));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Iterator<SourceRecord> records = new RecordReader(FileFormat.of("crm", "csv", "", ",", "", "", "", ""), mapping)
                    .read(new ByteArrayInputStream(file), "wide.csv");
            for (String key : new String[] {"1", "2"}) {
                SourceRecord record = records.next();
                CleansingResult result = cleanser.cleanse(record);
                assertThat(result.record().sourceKey()).isEqualTo(key);
                assertThat(result.violations()).singleElement().satisfies(violation -> {
                    assertThat(violation.rule()).isEqualTo("length:record");
                    assertThat(violation.reason()).contains("more than hub.cleanse.max-record-length (100000)");
                });
            }
            assertThat(records.hasNext()).isFalse();
        });
    }
}
