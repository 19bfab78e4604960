package io.customerhub.store;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.SourceRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of {@link CustomerStore} for batches of new records into an H2 file database: not a
 * test (timings depend on the machine), run by hand:
 * {@code java -cp target/classes:target/test-classes:<deps> io.customerhub.store.CustomerStoreBenchmark [records] [batch] [url-options]},
 * where url-options are appended to the H2 URL to try settings, e.g. {@code ";CACHE_SIZE=262144"}.
 */
public final class CustomerStoreBenchmark {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path directory = Files.createTempDirectory("store-benchmark");
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + directory.resolve("store") + (args.length > 2 ? args[2] : ""), "sa", "", 4);
        try (HikariDataSource dataSource = StoreDataSource.open(settings)) {
            CustomerStore store = new CustomerStore(dataSource);
            run(store, "warm-up", 0, 50_000, batchSize);
            run(store, "new records", 50_000, records, batchSize);
            run(store, "re-delivery (all duplicates)", 50_000, records, batchSize);
        }
    }

    private static void run(CustomerStore store, String what, int firstKey, int records, int batchSize) {
        long nanos = 0;
        StoreResult total = StoreResult.NONE;
        for (int from = firstKey; from < firstKey + records; from += batchSize) {
            CheckedBatch batch = batch(from, batchSize);
            long start = System.nanoTime();
            total = total.plus(store.store(store.dropDuplicates(batch)));
            nanos += System.nanoTime() - start;
        }
        System.out.printf("%-30s %,9d records in %,7d ms: %,9.0f records/s  %s%n",
                what, records, nanos / 1_000_000, records / (nanos / 1e9), total);
    }

    private static final String FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
    private static final String[] STREETS = {"中关村大街", "知春路", "学院路", "成府路", "苏州街", "万泉河路", "北四环西路", "海淀大街"};
    private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂";

    /**
     * Distinct people: names, birth dates and postal codes repeat, so matching finds candidates, but
     * e-mails, phones and streets are scrambled, as unrelated people's are, so it merges (almost) none.
     */
    private static CheckedBatch batch(int firstKey, int size) {
        List<CheckedRecord> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int n = firstKey + i;
            String key = "C" + n;
            String family = String.valueOf(FAMILY.charAt(n % FAMILY.length()));
            String given = String.valueOf(GIVEN.charAt(n / FAMILY.length() % GIVEN.length()));
            long scrambled = (n + 1) * 0x9E3779B97F4A7C15L;
            String email = Long.toString(scrambled >>> 12, 36) + "@example.cn";
            String phone = "+861" + (3 + n % 6) + String.format("%09d", Math.floorMod(scrambled, 1_000_000_000L));
            Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
            raw.put(CanonicalField.SOURCE_KEY, key);
            raw.put(CanonicalField.FULL_NAME, family + given);
            raw.put(CanonicalField.EMAIL, email);
            raw.put(CanonicalField.PHONE, phone);
            SourceRecord delivery = new SourceRecord("crm", "crm.csv", n + 2L, raw,
                    "{\"sourceKey\":\"" + key + "\"}", null);
            CustomerRecord customer = new CustomerRecord("crm", key, Instant.parse("2024-03-01T08:00:00Z"), family + given,
                    given, family, Gender.M, LocalDate.of(1940, 1, 1).plusDays(n % 29_989), email, phone, phone.substring(3),
                    new PostalAddress("CN", "北京市", "北京市", "海淀区",
                            STREETS[(int) Math.floorMod(scrambled >>> 20, (long) STREETS.length)] + (n % 997) + "号",
                            String.valueOf(100_000 + n % 887)), null, null);
            records.add(new CheckedRecord(delivery, customer));
        }
        return new CheckedBatch("crm", records, List.of(), 0);
    }
}
