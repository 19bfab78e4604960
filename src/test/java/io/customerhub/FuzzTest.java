package io.customerhub;

import io.customerhub.cleanse.CleansingResult;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.ingest.UnreadableFileException;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.match.BlockingKeys;
import io.customerhub.match.MatchScore;
import io.customerhub.match.MatchSettings;
import io.customerhub.match.RecordComparator;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing (jqwik; 1,000 generated inputs per property and run, {@code -Djqwik.tries.default=N} in the long form; a
 * new seed each run, the failing seed printed): the readers take any bytes and the cleansers, keys and comparisons
 * any text without crashing. A file either fails whole
 * with a reason ({@link UnreadableFileException}) or yields records that each hold values or name their line and
 * error; a record is cleansed into values or violations that each name a rule, and compared to a finite score.
 */
@Tag("break-it")
class FuzzTest {

    private static final String MAPPING = """
            key: id
            updated-at: updated
            fields:
              fullName: name
              phone: phone
              email: contact.email
              birthDate: born
            """;

    private static final List<String> SAMPLES = List.of(
            "id,name,phone,contact.email,born,updated\n1,张伟,138 0013 8000,a@b.cn,1990-01-02,2026-01-01T00:00:00Z\n"
                    + "2,\"Li, \"\"Na\"\"\",+86 139,x@y.com,02/03/1991,1700000000\n",
            "[{\"id\":\"1\",\"name\":\"张伟\",\"contact\":{\"email\":\"a@b.cn\"},\"born\":\"1990-01-02\"},"
                    + "{\"id\":2,\"name\":null,\"phone\":[1,2],\"updated\":\"2026-01-01\"}]",
            "<?xml version=\"1.0\"?><customers><customer id=\"1\"><id>1</id><name>张伟</name><phone>138</phone></customer>"
                    + "<customer><id>2</id><name><![CDATA[Li & Na]]></name></customer></customers>");

    private static final List<String> FRAGMENTS = List.of("\"", "\"\"", ",", "\n", "\r\n", "\r", "\u0000", "\uFEFF", "{", "}",
            "[", "]", "<", ">", "&", "&amp;", "&xxe;", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "]]>",
            "\\", "\\u0000", "\ud800", "é", "張", "😀", "\u202e", "=HYPERLINK(\"x\")", "'; DROP TABLE customer; --", "../../etc",
            " ".repeat(100), "9".repeat(40));

    private final CustomerCleanser cleanser = new CustomerCleanser(CleansingSettings.defaults(), ValidationRules.from(Map.of()));
    private final RecordComparator comparator = new RecordComparator(MatchSettings.defaults());

    @Property
    void anyFileEndsInRecordsOrOneReason(@ForAll("files") byte[] file, @ForAll("formats") String format) {
        FileFormat settings = FileFormat.of("fuzz", format, "", "", "", "", format.equals("xml") ? "customer" : "", "");
        try {
            Iterator<SourceRecord> records = new RecordReader(settings, FieldMapping.parse(MAPPING))
                    .read(new ByteArrayInputStream(file), "fuzz." + format);
            while (records.hasNext()) {
                SourceRecord record = records.next();
                assertThat(record.error() == null || record.error().startsWith("line ")).as(record.error()).isTrue();
                assertThat(record.payload()).isNotNull();
                CleansingResult result = cleanser.cleanse(record);
                result.violations().forEach(violation -> assertThat(violation.rule()).isNotBlank());
            }
        } catch (UnreadableFileException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void anyTextInAnyFieldIsCleansedKeyedAndCompared(@ForAll("values") Map<CanonicalField, String> values,
                                                     @ForAll("values") Map<CanonicalField, String> others) {
        CleansingResult one = cleanser.cleanse(new SourceRecord("fuzz", "fuzz.csv", 2, values, "{}", null));
        CleansingResult two = cleanser.cleanse(new SourceRecord("fuzz", "fuzz.csv", 3, others, "{}", null));
        one.violations().forEach(violation -> assertThat(violation.rule()).isNotBlank());

        BlockingKeys.of(one.record());
        BlockingKeys.of(two.record());
        MatchScore score = comparator.compare(one.record(), two.record());
        assertThat(score.score()).isFinite();
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("csv", "json", "xml");
    }

    /** Random bytes, and the samples with fragments that break their syntax put in at random places. */
    @Provide
    Arbitrary<byte[]> files() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(SAMPLES),
                        Arbitraries.of(FRAGMENTS).list().ofMaxSize(8), Arbitraries.integers().between(0, 10_000).list().ofSize(8))
                .as((sample, fragments, places) -> {
                    StringBuilder text = new StringBuilder(sample);
                    for (int i = 0; i < fragments.size(); i++) {
                        text.insert(places.get(i) % (text.length() + 1), fragments.get(i));
                    }
                    return text.toString().getBytes(StandardCharsets.UTF_8);
                });
        return Arbitraries.frequencyOf(Tuple.of(1, noise), Tuple.of(3, mutated));
    }

    @Provide
    Arbitrary<Map<CanonicalField, String>> values() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("0123456789+-() ./:@年月日TZ").ofMaxLength(30),
                Arbitraries.of(FRAGMENTS));
        return Arbitraries.maps(Arbitraries.of(CanonicalField.class), text).ofMaxSize(CanonicalField.values().length)
                .map(map -> {
                    Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
                    values.putAll(map);
                    values.putIfAbsent(CanonicalField.SOURCE_KEY, "F-1");
                    return values;
                });
    }
}
