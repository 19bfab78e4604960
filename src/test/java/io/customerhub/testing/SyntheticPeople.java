package io.customerhub.testing;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Made-up people exported by three source systems, some of them by two or three, with a truth
 * column ({@code person}) saying who is who, for measuring matching. Of the people, 65% appear
 * once, 25% twice, 10% three times, each time in a different file. Each source writes dates,
 * phones and genders its own way; a second or third record of a person may carry a typo in
 * either name, given and family name swapped, a missing or transposed birth date, a missing or
 * changed e-mail or phone, a missing gender, a missing or new address. Family names follow the
 * skew of real Chinese surnames (Wang, Li and Zhang are a fifth of everyone) and 8% of the people
 * share family name and address with the person before them (a household), so names and
 * addresses alone do not tell people apart. Seeded: the same files for the same arguments.
 */
public final class SyntheticPeople {

    /** The columns of every file; {@code person} is the truth, {@code id} the source key. */
    public static final List<String> COLUMNS = List.of("id", "person", "given_name", "family_name", "gender",
            "birth_date", "email", "phone", "street", "city", "province", "postal_code");
    /** A field mapping for {@code evaluate} and for a file source reading these files. */
    public static final String MAPPING = """
            key: id
            fields:
              givenName: given_name
              familyName: family_name
              gender: gender
              birthDate: birth_date
              email: email
              phone: phone
              street: street
              city: city
              province: province
              postalCode: postal_code
              country: { constant: CN }
            """;
    /** {@link #MAPPING} for a polled source (HTTP, database) whose records carry {@code updated_at}, its cursor. */
    public static final String POLLED_MAPPING = MAPPING.replace("key: id\n", "key: id\nupdated-at: updated_at\n");

    private static final String[] SOURCES = {"crm", "shop", "oa"};
    /** Common surnames, each with its share in thousandths (roughly the census figures). */
    private static final String[] FAMILY_NAMES = {"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu",
            "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song",
            "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang",
            "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao", "fang", "ouyang", "sima"};
    private static final int[] FAMILY_SHARES = {72, 72, 68, 54, 46, 32, 24, 22, 21, 19, 18, 16, 15, 15, 14, 14, 13, 12,
            12, 11, 11, 10, 10, 9, 9, 8, 8, 8, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 1, 1};
    private static final String[] ROADS = {"中山路", "人民路", "解放路", "建设路", "和平路", "新华路", "长江路", "黄河路",
            "文化路", "胜利路", "青年路", "朝阳路", "环城路", "北京路", "南京路", "延安路", "光明路", "东风路", "滨江路", "学府路"};
    private static final String[] POSTAL_PREFIXES = {"510", "310", "200", "610", "100", "210"};
    private static final String[] DOMAINS = {"example.com", "example.cn", "example.net", "mail.example.org"};
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter CHINESE = DateTimeFormatter.ofPattern("yyyy年M月d日");

    /** What was written: one file per source, the number of records and people, the true duplicate pairs. */
    public record Dataset(List<Path> files, int records, int people, long truePairs) {
    }

    private record Person(String id, String given, String family, boolean male, LocalDate birth, String email,
                          String phone, String street, int city, String postal) {
    }

    private SyntheticPeople() {
    }

    /** Writes {@code records} records (CSV, UTF-8) as {@code crm.csv}, {@code shop.csv}, {@code oa.csv} in {@code dir}. */
    public static Dataset write(Path dir, int records, long seed) throws IOException {
        Random random = new Random(seed);
        List<List<List<String>>> rows = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int written = 0;
        int people = 0;
        long truePairs = 0;
        Person previous = null;
        while (written < records) {
            Person person = person(random, people, previous);
            previous = person;
            people++;
            int roll = random.nextInt(100);
            int copies = Math.min(roll < 65 ? 1 : roll < 90 ? 2 : 3, records - written);
            truePairs += (long) copies * (copies - 1) / 2;
            List<Integer> sources = new ArrayList<>(List.of(0, 1, 2));
            Collections.shuffle(sources, random);
            for (int copy = 0; copy < copies; copy++) {
                int source = sources.get(copy);
                Person variant = copy == 0 ? person : vary(person, random, people);
                rows.get(source).add(row(variant, source, written, random));
                written++;
            }
        }
        List<Path> files = writeSources(dir, SOURCES, COLUMNS, rows, random);
        return new Dataset(files, written, people, truePairs);
    }

    /**
     * The records of a file {@link #write} wrote, by column, in file order, each with an {@code updated_at} (ISO-8601,
     * UTC) from {@code from} on, one second later every three records: records sharing a timestamp are told apart by
     * their key only.
     */
    public static List<Map<String, String>> stamped(Path file, Instant from) throws IOException {
        List<Map<String, String>> records = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().get().parse(in)) {
            for (CSVRecord row : parser) {
                Map<String, String> record = new LinkedHashMap<>(row.toMap());
                record.put("updated_at", from.plusSeconds(records.size() / 3).toString());
                records.add(record);
            }
        }
        return records;
    }

    private static Person person(Random random, int index, Person previous) {
        String given = random.nextInt(10) < 7 ? syllable(random) + syllable(random) : syllable(random);
        LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 65));
        String phone = SyntheticCustomers.MOBILE_PREFIXES[random.nextInt(SyntheticCustomers.MOBILE_PREFIXES.length)]
                + String.format(Locale.ROOT, "%08d", scrambled(index, 100_000_000));
        boolean hasEmail = !chance(random, 8);
        if (previous != null && chance(random, 8)) {
            return new Person("P" + index, given, previous.family(), random.nextBoolean(), birth,
                    hasEmail ? email(given, previous.family(), random, index) : null, phone,
                    previous.street(), previous.city(), previous.postal());
        }
        String family = family(random);
        int city = random.nextInt(SyntheticCustomers.CITIES.length);
        return new Person("P" + index, given, family, random.nextBoolean(), birth,
                hasEmail ? email(given, family, random, index) : null, phone, street(random), city, postal(city, random));
    }

    /** A later record of the same person, as another system or a later sign-up has it. */
    private static Person vary(Person p, Random random, int salt) {
        String given = chance(random, 15) ? typo(p.given(), random) : p.given();
        String family = chance(random, 10) ? typo(p.family(), random) : p.family();
        if (chance(random, 8)) {
            String swap = given;
            given = family;
            family = swap;
        }
        LocalDate birth = chance(random, 8) ? null : chance(random, 6) ? transposed(p.birth()) : p.birth();
        String email = chance(random, 15) ? null
                : chance(random, 10) ? email(p.family(), p.given(), random, salt + 50_000_000) : p.email();
        String phone = chance(random, 12) ? null
                : chance(random, 10) ? "199" + String.format(Locale.ROOT, "%08d", scrambled(salt, 100_000_000)) : p.phone();
        String street = p.street();
        String postal = p.postal();
        if (chance(random, 10)) {
            street = null;
            postal = null;
        } else if (chance(random, 5)) {
            street = street(random);
            postal = postal(p.city(), random);
        }
        return new Person(p.id(), given, family, p.male(), birth, email, phone, street, p.city(), postal);
    }

    /** The record as source {@code source} writes it. */
    private static List<String> row(Person p, int source, int index, Random random) {
        String gender = chance(random, 5) ? "" : switch (source) {
            case 0 -> p.male() ? "男" : "女";
            case 1 -> p.male() ? "M" : "F";
            default -> p.male() ? "1" : "2";
        };
        String birth = p.birth() == null ? "" : switch (source) {
            case 0 -> COMPACT.format(p.birth());
            case 1 -> p.birth().toString();
            default -> CHINESE.format(p.birth());
        };
        String phone = p.phone() == null ? "" : switch (source) {
            case 0 -> p.phone().substring(0, 3) + " " + p.phone().substring(3, 7) + " " + p.phone().substring(7);
            case 1 -> "+86 " + p.phone().substring(0, 3) + "-" + p.phone().substring(3, 7) + "-" + p.phone().substring(7);
            default -> p.phone();
        };
        String email = p.email() == null ? "" : source == 0 ? SyntheticCustomers.capital(p.email()) : p.email();
        boolean noAddress = p.street() == null;
        return Arrays.asList(SOURCES[source].substring(0, 1).toUpperCase(Locale.ROOT) + index, p.id(),
                SyntheticCustomers.capital(p.given()), SyntheticCustomers.capital(p.family()), gender, birth, email, phone,
                noAddress ? "" : p.street(), noAddress ? "" : SyntheticCustomers.CITIES[p.city()],
                noAddress ? "" : SyntheticCustomers.PROVINCES[p.city()], noAddress ? "" : p.postal());
    }

    /** One slip of the keyboard: a letter replaced, dropped, doubled or swapped with the next. */
    static String typo(String name, Random random) {
        if (name.length() < 3) {
            return name + (char) ('a' + random.nextInt(26));
        }
        int at = 1 + random.nextInt(name.length() - 2);
        StringBuilder text = new StringBuilder(name);
        switch (random.nextInt(4)) {
            case 0 -> text.setCharAt(at, (char) ('a' + random.nextInt(26)));
            case 1 -> text.deleteCharAt(at);
            case 2 -> text.insert(at, text.charAt(at));
            default -> {
                char c = text.charAt(at);
                text.setCharAt(at, text.charAt(at + 1));
                text.setCharAt(at + 1, c);
            }
        }
        return text.toString();
    }

    /** Day and month swapped when that is a date, otherwise the last two digits of the year. */
    static LocalDate transposed(LocalDate date) {
        if (date.getDayOfMonth() <= 12 && date.getDayOfMonth() != date.getMonthValue()) {
            return LocalDate.of(date.getYear(), date.getDayOfMonth(), date.getMonthValue());
        }
        int year = date.getYear();
        int swapped = year / 100 * 100 + year % 10 * 10 + year / 10 % 10;
        return swapped == year || swapped > 2010 ? date.plusDays(1) : date.withYear(swapped);
    }

    /** Unique per {@code salt}, as an address is per person. */
    private static String email(String first, String second, Random random, int salt) {
        return first + "." + second + scrambled(salt, 100_000_000) + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
    }

    /**
     * {@code index} mapped one to one onto {@code 0..range-1} (range a power of ten), so that
     * people made one after the other, such as a household, do not get near-equal phone numbers
     * and e-mails, which would be an artefact of the generator.
     */
    static int scrambled(int index, int range) {
        return (int) ((index * 7_919L + 104_729L) % range);
    }

    private static String family(Random random) {
        int total = Arrays.stream(FAMILY_SHARES).sum();
        int pick = random.nextInt(total);
        for (int i = 0; i < FAMILY_SHARES.length; i++) {
            pick -= FAMILY_SHARES[i];
            if (pick < 0) {
                return FAMILY_NAMES[i];
            }
        }
        return FAMILY_NAMES[0];
    }

    private static String street(Random random) {
        return ROADS[random.nextInt(ROADS.length)] + " " + (1 + random.nextInt(300)) + "号";
    }

    private static String postal(int city, Random random) {
        return POSTAL_PREFIXES[city] + String.format(Locale.ROOT, "%03d", random.nextInt(1000));
    }

    private static String syllable(Random random) {
        return SyntheticCustomers.SYLLABLES[random.nextInt(SyntheticCustomers.SYLLABLES.length)];
    }

    private static boolean chance(Random random, int percent) {
        return random.nextInt(100) < percent;
    }

    /** Writes one CSV file per source ({@code <source>.csv} under {@code dir}), its rows in an order of its own. */
    static List<Path> writeSources(Path dir, String[] sources, List<String> columns, List<List<List<String>>> rows, Random random)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int source = 0; source < sources.length; source++) {
            // each system exports in its own order
            Collections.shuffle(rows.get(source), random);
            Path file = dir.resolve(sources[source] + ".csv");
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                 CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
                printer.printRecord(columns);
                printer.printRecords(rows.get(source));
            }
            files.add(file);
        }
        return files;
    }
}
