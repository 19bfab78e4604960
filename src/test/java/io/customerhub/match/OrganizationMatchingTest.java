package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.testing.SyntheticOrganizations;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matches {@link SyntheticOrganizations} (Chinese and English-language companies, site by site: head offices,
 * branches, chain stores and bank branches, each a customer of its own, written by three sources with legal forms full,
 * abbreviated or missing, registry ids on some records, shared head-office phones and e-mails) in memory with
 * {@link IncrementalResolver} and {@link MatchSettings#defaults()}, at two sizes. Besides pairwise precision, recall,
 * F1 and comparisons per record it measures the blocking recall (the share of true pairs sharing at least one
 * {@link BlockingKeys} key, computed on the cleansed records), what cleansing dropped of the registry ids and phones
 * the sources gave, the largest clusters by the number of sites they joined, and prints the true pairs left apart and
 * the false pairs by cause, with what each field made of them and examples.
 *
 * <p>Issue 13 asks for F1 at least 0.92 on this data. Before organizations were read as such (names split as people's,
 * phones merging sites) F1 was 0.78 (4,000) and 0.75 (16,000); the floors below hold what organization matching
 * achieves, and comparisons per record stay flat as the data grows.
 */
class OrganizationMatchingTest {

    private static final List<CanonicalField> SHOWN = List.of(CanonicalField.FULL_NAME, CanonicalField.NATIONAL_ID,
            CanonicalField.PHONE, CanonicalField.EMAIL, CanonicalField.STREET, CanonicalField.CITY, CanonicalField.POSTAL_CODE);
    private static final int LARGEST = 5;

    /** Pairwise figures, the blocking recall and comparisons per record of one run, and what went wrong, explained. */
    record Figures(int records, int sites, long truePairs, double precision, double recall, double f1, double blockingRecall,
                   double comparisonsPerRecord, String byLanguage, String cleansing, String clusters, String missed,
                   String wrong) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d records of %,d sites, %,d true pairs: precision %.4f, recall %.4f, F1 %.4f,"
                            + " blocking recall %.4f, %.2f comparisons per record", records, sites, truePairs, precision, recall,
                    f1, blockingRecall, comparisonsPerRecord);
        }
    }

    @TempDir
    Path directory;

    @Test
    void organizationsAreMeasuredAndComparisonsPerRecordStayFlatAsTheDataGrows() throws Exception {
        Figures small = resolve(4_000);
        Figures large = resolve(16_000);
        for (Figures figures : List.of(small, large)) {
            System.out.println("organizations " + figures + "\n" + figures.byLanguage() + figures.cleansing() + figures.clusters()
                    + figures.missed() + figures.wrong());
        }

        // issue 13: F1 at least 0.92 on organizations; the other floors just below what was measured
        // (4,000: precision 0.9988, recall 0.8793, F1 0.9352, blocking recall 0.9580, 1.68 comparisons per record;
        // 16,000: 0.9972, 0.8760, 0.9327, 0.9521, 1.63; 100,000, measured once: 0.9962, 0.8962, 0.9436, 1.70)
        for (Figures figures : List.of(small, large)) {
            assertThat(figures.f1()).as("%s", figures).isGreaterThanOrEqualTo(0.92);
            assertThat(figures.precision()).as("%s", figures).isGreaterThanOrEqualTo(0.99);
            assertThat(figures.recall()).as("%s", figures).isGreaterThanOrEqualTo(0.865);
            assertThat(figures.blockingRecall()).as("%s", figures).isGreaterThanOrEqualTo(0.945);
        }
        assertThat(large.comparisonsPerRecord()).as("%s -> %s", small, large)
                .isLessThanOrEqualTo(small.comparisonsPerRecord() * 1.3);
    }

    private Figures resolve(int records) throws Exception {
        Path dir = directory.resolve(Integer.toString(records));
        SyntheticOrganizations.Dataset data = SyntheticOrganizations.write(dir, records, 20261213L + records);
        Map<String, Map<String, String>> raw = rawRows(data.files());
        MatchSettings settings = MatchSettings.defaults();
        Resolution resolution = Resolution.of(data.files(), SyntheticOrganizations.MAPPING, settings, "org");
        IncrementalResolver resolver = resolution.resolver;
        List<CustomerRecord> accepted = resolution.records;
        List<String> sites = resolution.people;
        double[] quality = resolution.precisionAndRecall();
        double[] blocking = resolution.blockingRecallAndTruePairs();
        RecordComparator comparator = new RecordComparator(settings);
        List<Boolean> chinese = accepted.stream().map(r -> isChinese(raw.get(r.sourceKey()).get("name"))).toList();
        PairTally misses = new PairTally("missed true pairs", settings, SHOWN);
        long[] chineseMisses = new long[2];
        resolution.forEachTruePair((a, b) -> {
            if (resolution.apart(a, b)) {
                chineseMisses[0] += chinese.get(a) ? 1 : 0;
                misses.add(resolution.blockingGap(a, b, settings.maxBlockSize()), accepted.get(a).sourceKey(),
                        described(accepted.get(a), sites.get(a), raw), accepted.get(b).sourceKey(),
                        described(accepted.get(b), sites.get(b), raw), comparator.compare(accepted.get(a), accepted.get(b)));
            }
        });
        PairTally wrong = new PairTally("false pairs", settings, SHOWN);
        resolution.forEachFalsePair((a, b) -> {
            chineseMisses[1] += chinese.get(a) ? 1 : 0;
            MatchScore score = comparator.compare(accepted.get(a), accepted.get(b));
            String relation = company(sites.get(a)).equals(company(sites.get(b))) ? "sites of one company" : "different companies";
            wrong.add(relation + ", " + (settings.decide(score) == MatchDecision.MERGE ? "scored MERGE (" + score.rule() + ")"
                    : "joined through other records"), accepted.get(a).sourceKey(), described(accepted.get(a), sites.get(a), raw),
                    accepted.get(b).sourceKey(), described(accepted.get(b), sites.get(b), raw), score);
        });
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            members.computeIfAbsent(resolver.clusterOf(i), k -> new ArrayList<>()).add(i);
        }
        return new Figures(sites.size(), data.organizations(), (long) blocking[1], quality[0], quality[1],
                2 * quality[0] * quality[1] / (quality[0] + quality[1]), blocking[0], resolution.comparisonsPerRecord(),
                byLanguage(chinese, sites, resolver), cleansing(accepted, raw), largest(members, sites, accepted),
                misses.report(languages(chineseMisses[0], misses.total())), wrong.report(languages(chineseMisses[1], wrong.total())));
    }

    private static String languages(long chinese, long total) {
        return String.format(Locale.ROOT, " (%,d Chinese, %,d English-language)", chinese, total - chinese);
    }

    private static boolean isChinese(String name) {
        return name.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /** Pairwise precision, recall and F1 over the Chinese and over the English-language records alone. */
    private static String byLanguage(List<Boolean> chinese, List<String> sites, IncrementalResolver resolver) {
        StringBuilder text = new StringBuilder();
        for (boolean language : List.of(true, false)) {
            Map<String, Long> truth = new HashMap<>();
            Map<Integer, Long> clusters = new HashMap<>();
            Map<String, Long> both = new HashMap<>();
            int records = 0;
            for (int i = 0; i < sites.size(); i++) {
                if (chinese.get(i) == language) {
                    records++;
                    truth.merge(sites.get(i), 1L, Long::sum);
                    clusters.merge(resolver.clusterOf(i), 1L, Long::sum);
                    both.merge(sites.get(i) + "/" + resolver.clusterOf(i), 1L, Long::sum);
                }
            }
            double correct = pairs(both.values());
            double precision = correct / pairs(clusters.values());
            double recall = correct / pairs(truth.values());
            text.append(String.format(Locale.ROOT, "  %s: %,d records, %,d true pairs: precision %.4f, recall %.4f, F1 %.4f%n",
                    language ? "Chinese" : "English-language", records, pairs(truth.values()), precision, recall,
                    2 * precision * recall / (precision + recall)));
        }
        return text.toString();
    }

    private static long pairs(Iterable<Long> sizes) {
        long pairs = 0;
        for (long size : sizes) {
            pairs += size * (size - 1) / 2;
        }
        return pairs;
    }

    /** The company of a site: {@code C12} of {@code C12.3}. */
    private static String company(String site) {
        int dot = site.indexOf('.');
        return dot < 0 ? site : site.substring(0, dot);
    }

    /** What cleansing kept of the registry ids and phones the sources gave. */
    private static String cleansing(List<CustomerRecord> accepted, Map<String, Map<String, String>> raw) {
        int ids = 0;
        int idsKept = 0;
        int digitIds = 0;
        int digitIdsKept = 0;
        int phones = 0;
        int phonesKept = 0;
        Map<String, int[]> lostPhones = new TreeMap<>();
        for (CustomerRecord record : accepted) {
            Map<String, String> row = raw.get(record.sourceKey());
            String id = row.get("registry_id");
            if (!id.isEmpty()) {
                ids++;
                idsKept += record.nationalId() != null ? 1 : 0;
                if (id.chars().limit(17).allMatch(Character::isDigit)) {
                    digitIds++;
                    digitIdsKept += record.nationalId() != null ? 1 : 0;
                }
            }
            String phone = row.get("phone");
            if (!phone.isEmpty()) {
                phones++;
                phonesKept += record.phone() != null ? 1 : 0;
                if (record.phone() == null) {
                    String shape = phone.replaceAll("[0-9]", "9");
                    lostPhones.computeIfAbsent(record.source() + " " + shape, k -> new int[1])[0]++;
                }
            }
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "  cleansing kept %,d of %,d registry ids (%,d of the %,d whose first 17 characters are digits), %,d of %,d phones%n",
                idsKept, ids, digitIdsKept, digitIds, phonesKept, phones));
        lostPhones.entrySet().stream().sorted(Map.Entry.<String, int[]>comparingByValue(Comparator.comparingInt(c -> -c[0])))
                .limit(LARGEST)
                .forEach(e -> text.append(String.format(Locale.ROOT, "    %,6d phones dropped, source and shape: %s%n",
                        e.getValue()[0], e.getKey())));
        return text.toString();
    }

    /** The clusters that joined the most sites, with how many companies and records, and names from them. */
    private static String largest(Map<Integer, List<Integer>> members, List<String> sites, List<CustomerRecord> accepted) {
        Map<Integer, Integer> histogram = new TreeMap<>();
        List<List<Integer>> clusters = new ArrayList<>(members.values());
        clusters.sort(Comparator.comparingInt((List<Integer> c) -> -distinct(c, sites, false)));
        for (List<Integer> cluster : clusters) {
            histogram.merge(distinct(cluster, sites, false), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder("  clusters by the number of sites they joined (sites:clusters):");
        histogram.forEach((size, count) -> text.append(String.format(Locale.ROOT, " %d:%,d", size, count)));
        text.append('\n');
        for (List<Integer> cluster : clusters.subList(0, Math.min(LARGEST, clusters.size()))) {
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < cluster.size() && names.size() < 3; i++) {
                names.add(accepted.get(cluster.get(i)).fullName());
            }
            text.append(String.format(Locale.ROOT, "    %d sites of %d companies in %d records, e.g. %s%n",
                    distinct(cluster, sites, false), distinct(cluster, sites, true), cluster.size(), names));
        }
        return text.toString();
    }

    private static int distinct(List<Integer> cluster, List<String> sites, boolean companies) {
        Set<String> values = new HashSet<>();
        for (int i : cluster) {
            values.add(companies ? company(sites.get(i)) : sites.get(i));
        }
        return values.size();
    }

    /** The rows of the generated files by source key, as written, for what cleansing made of them. */
    private static Map<String, Map<String, String>> rawRows(List<Path> files) throws IOException {
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (Path file : files) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                 CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(in)) {
                for (CSVRecord row : parser) {
                    rows.put(row.get("id"), row.toMap());
                }
            }
        }
        return rows;
    }

    /** The record as cleansed, with its site, and what the source gave where cleansing dropped a value. */
    private static String described(CustomerRecord r, String site, Map<String, Map<String, String>> raw) {
        Map<String, String> row = raw.get(r.sourceKey());
        String id = r.nationalId() != null ? r.nationalId() : row.get("registry_id").isEmpty() ? "∅"
                : "∅ (gave " + row.get("registry_id") + ")";
        String phone = r.phone() != null ? r.phone() : row.get("phone").isEmpty() ? "∅" : "∅ (gave '" + row.get("phone") + "')";
        return String.format(Locale.ROOT, "%s %s [%s] id=%s phone=%s email=%s city=%s street=%s postal=%s", site, r.sourceKey(),
                r.fullName(), id, phone, r.email(), r.address().city(), r.address().street(), r.address().postalCode());
    }
}
