package io.customerhub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Three systems kept in sync by one hub, as issue 11 tried the hub against: a file-drop CRM
 * ({@link FileDropCrm}: {@code crm-ingest}, {@code crm-sync}), an ERP table on the real PostgreSQL
 * ({@link ErpTable}: {@code erp-ingest} by {@code jdbc-source}, {@code erp-sync} by {@code jdbc-sync}),
 * and a customer API on a real HTTP server whose clock is hours off the hub's ({@link CustomerApiServer}:
 * {@code api-ingest} by {@code http-source} with an {@code updated-since} cursor and page paging,
 * {@code api-sync} by {@code http-sync} with PATCH). Every source and target polls every {@code poll}.
 * The ERP may hold archived (deleted) customers before its live ones, which make its first read long.
 * A hub home with the three sources' route files, and the hub settings to run it with; the hub itself
 * is the caller's (in the test's JVM, or the packaged jar in a child JVM).
 */
public final class ThreeSystems implements AutoCloseable {

    /** A system, by its source name. */
    public enum Name {
        CRM("crm"), ERP("erp"), API("api");

        public final String source;

        Name(String source) {
            this.source = source;
        }
    }

    /** A made-up person as the systems first hold them: unique phone and e-mail, so that matching joins their records. */
    public record Person(int id, Map<CustomerField, String> values) {
        public String phone() {
            return values.get(CustomerField.PHONE);
        }
    }

    /** How the systems are set up. */
    public record Options(Duration poll, Duration apiSkew, int apiPageSize, Duration apiPageDelay, int apiSlowPages,
                          int erpArchivedRows, String erpCreate) {
        /**
         * Polls every {@code poll}; the API's clock 7 h 13 min ahead, pages of 50 answered at once; no archived ERP rows;
         * the hub creates customers in the ERP under their golden ids.
         */
        public static Options of(Duration poll) {
            return new Options(poll, Duration.ofHours(7).plusMinutes(13), 50, Duration.ZERO, 0, 0, "golden-id");
        }

        /**
         * The ERP's key an INTEGER it assigns itself (a golden id does not fit), its {@code erp-sync}'s
         * {@code create} policy {@code target-assigned} or {@code never}.
         */
        public Options erpAssigningKeys(String create) {
            return new Options(poll, apiSkew, apiPageSize, apiPageDelay, apiSlowPages, erpArchivedRows, create);
        }

        boolean erpNumericKey() {
            return !erpCreate.equals("golden-id");
        }

        /**
         * The API's first {@code apiSlowPages} pages of {@code apiPageSize} taking {@code apiPageDelay} each; the
         * ERP with {@code erpArchivedRows} archived rows before its live ones.
         */
        public Options slowFirstReads(int apiPageSize, Duration apiPageDelay, int apiSlowPages, int erpArchivedRows) {
            return new Options(poll, apiSkew, apiPageSize, apiPageDelay, apiSlowPages, erpArchivedRows, erpCreate);
        }
    }

    static final String[] SYLLABLES = {"an", "bo", "chen", "da", "fei", "gang", "hui", "jia", "kai", "lin", "ming", "na",
            "ping", "qiang", "rui", "shan", "tao", "wei", "xin", "yan", "zhi", "hao", "lei", "mei", "qing", "song", "ting",
            "yu", "zhen", "jun"};
    /** City names as the hub writes them (cleansed), so a first load writes nothing only to normalise them. */
    public static final List<String> CITIES = List.of("广州市", "杭州市", "成都市", "南京市", "深圳市", "武汉市", "西安市", "苏州市");

    /** The hub's zone for timestamps without one: the JVM's, which is also the PostgreSQL sessions' zone. */
    public static final ZoneId ZONE = ZoneId.systemDefault();

    public final HubHome home;
    public final Options options;
    public final FileDropCrm crm;
    public final ErpTable erp;
    public final CustomerApiServer api;

    private ThreeSystems(HubHome home, Options options, FileDropCrm crm, ErpTable erp, CustomerApiServer api) {
        this.home = home;
        this.options = options;
        this.crm = crm;
        this.erp = erp;
        this.api = api;
    }

    /** The three systems, empty, and a hub home under {@code dir} declaring them. */
    public static ThreeSystems create(Path dir, Options options) throws IOException {
        ErpTable erp = ErpTable.create(options.erpNumericKey());
        CustomerApiServer api = null;
        try {
            api = new CustomerApiServer(options.apiSkew(), options.apiPageDelay(), options.apiSlowPages());
            HubHome home = HubHome.copyOfProject(dir.resolve("home"));
            ThreeSystems systems = new ThreeSystems(home, options, new FileDropCrm(home, ZONE), erp, api);
            systems.declareRoutes(dir);
            return systems;
        } catch (IOException | RuntimeException e) {
            erp.close();
            if (api != null) {
                api.close();
            }
            throw e;
        }
    }

    private void declareRoutes(Path dir) throws IOException {
        Path token = Files.writeString(dir.resolve("api-token"), CustomerApiServer.TOKEN);
        Path password = Files.writeString(dir.resolve("erp-password"), "\n");
        Path sources = home.root().resolve("routes/sources");
        for (String demo : List.of("crm", "shop", "oa")) {
            Files.deleteIfExists(sources.resolve(demo + ".camel.yaml"));
        }
        Files.writeString(sources.resolve("crm.camel.yaml"), SourceDeclaration.ingestAndSync("crm", "file-source",
                Map.of("format", "csv"), "file-sync", Map.of("format", "csv", "based-on-column", FileDropCrm.BASED_ON),
                FileDropCrm.MAPPING), StandardCharsets.UTF_8);
        Map<String, String> erpTable = new LinkedHashMap<>(Map.of("url", ErpTable.URL, "user", erp.user,
                "password-file", password.toAbsolutePath().toString(), "table", erp.table, "key-column", "kunnr",
                "updated-column", "updated_at"));
        Map<String, String> erpIngest = new LinkedHashMap<>(erpTable);
        erpIngest.put("poll-interval", Long.toString(options.poll().toMillis()));
        Map<String, String> erpSync = new LinkedHashMap<>(erpTable);
        erpSync.put("deleted-column", "deleted");
        erpSync.put("create", options.erpCreate());
        Files.writeString(sources.resolve("erp.camel.yaml"), SourceDeclaration.ingestAndSync("erp", "jdbc-source", erpIngest,
                "jdbc-sync", erpSync, """
                        key: kunnr
                        updated-at: updated_at
                        deleted: deleted
                        fields:
                          fullName: name1
                          phone: mobile
                          email: email
                          city: city
                          country: { constant: CN }
                        """), StandardCharsets.UTF_8);
        Map<String, String> apiIngest = new LinkedHashMap<>();
        apiIngest.put("url", api.url());
        apiIngest.put("record-path", "data");
        apiIngest.put("cursor", "updated-since");
        apiIngest.put("paging", "page");
        apiIngest.put("page-size", Integer.toString(options.apiPageSize()));
        apiIngest.put("auth", "bearer");
        apiIngest.put("token-file", token.toAbsolutePath().toString());
        apiIngest.put("poll-interval", Long.toString(options.poll().toMillis()));
        Map<String, String> apiSync = new LinkedHashMap<>();
        apiSync.put("create-url", api.url());
        apiSync.put("update-url", api.url() + "/{key}");
        apiSync.put("update-method", "PATCH");
        apiSync.put("auth", "bearer");
        apiSync.put("token-file", token.toAbsolutePath().toString());
        Files.writeString(sources.resolve("api.camel.yaml"), SourceDeclaration.ingestAndSync("api", "http-source", apiIngest,
                "http-sync", apiSync, """
                        key: id
                        updated-at: updated_at
                        fields:
                          fullName: name
                          phone: contact.mobile
                          email: contact.email
                          city: address.city
                          country: { constant: CN }
                        """), StandardCharsets.UTF_8);
    }

    /**
     * The hub's settings for these systems: file polls at the poll interval, timestamps without zone in
     * {@link #ZONE}; everything else (the delivery interval {@code hub.sync.interval} included) as the
     * project configures it.
     */
    public Map<String, String> hubSettings() {
        Map<String, String> settings = new TreeMap<>();
        String poll = Long.toString(options.poll().toMillis());
        settings.put("hub.file.poll-delay", poll);
        settings.put("hub.file.read-lock-check-interval", "100");
        settings.put("hub.file.read-lock-min-age", "0"); // the CRM writes aside and renames
        settings.put("hub.cleanse.time-zone", ZONE.getId());
        settings.put("hub.sync.retry-delay", "200");
        settings.put("hub.sync.retry-max-delay", "2000");
        settings.put("hub.sync.max-attempts", "1000");
        return settings;
    }

    /** {@link #hubSettings()} as {@code -D} options of a child JVM. */
    public List<String> hubSettingsAsOptions() {
        return hubSettings().entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * {@code count} made-up people (seeded): unique phones and e-mails, names from syllables, cities
     * from {@link #CITIES}.
     */
    public static List<Person> people(int count, long seed) {
        Random random = new Random(seed);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<CustomerField, String> values = new EnumMap<>(CustomerField.class);
            values.put(CustomerField.NAME, name(random));
            values.put(CustomerField.PHONE, String.format(Locale.ROOT, "+86138%08d", 10_000_000 + i * 37 + random.nextInt(30)));
            values.put(CustomerField.EMAIL, "person" + i + "." + syllable(random) + "@example.com");
            values.put(CustomerField.CITY, CITIES.get(random.nextInt(CITIES.size())));
            people.add(new Person(i, values));
        }
        return people;
    }

    /** A made-up full name: given and family name from syllables. */
    public static String name(Random random) {
        return capital(syllable(random) + syllable(random)) + " " + capital(syllable(random));
    }

    private static String syllable(Random random) {
        return SYLLABLES[random.nextInt(SYLLABLES.length)];
    }

    private static String capital(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The key a system gives a person of its own: {@code C0007}, {@code E0007} (or {@code 7} for a numeric key), {@code A0007}. */
    public String key(Name system, Person person) {
        return system == Name.ERP && options.erpNumericKey() ? Integer.toString(person.id())
                : String.format(Locale.ROOT, "%s%04d", system.name().charAt(0), person.id());
    }

    /** Puts {@code people} into {@code system} under their own keys (before the hub starts). */
    public void seed(Name system, List<Person> people) {
        Map<String, Map<CustomerField, String>> rows = new LinkedHashMap<>();
        for (Person person : people) {
            rows.put(key(system, person), person.values());
        }
        switch (system) {
            case CRM -> rows.forEach(crm::add);
            case ERP -> {
                erp.insertArchived(options.erpArchivedRows());
                erp.insert(rows);
            }
            case API -> rows.forEach(api::add);
        }
    }

    /** Starts the CRM's cycle (its first export, then an import and export every poll). */
    public void startCrm() {
        crm.start(options.poll());
    }

    /** The records of {@code system} by key. */
    public Map<String, Map<CustomerField, String>> records(Name system) {
        return switch (system) {
            case CRM -> crm.records();
            case ERP -> erp.rows();
            case API -> api.records();
        };
    }

    /** One record's value. */
    public String value(Name system, String key, CustomerField field) {
        Map<CustomerField, String> record = records(system).get(key);
        return record == null ? null : record.get(field);
    }

    /** A user of {@code system} changes one field of record {@code key}; returns the value it held before. */
    public String edit(Name system, String key, CustomerField field, String value) {
        return switch (system) {
            case CRM -> crm.edit(key, field, value);
            case ERP -> erp.edit(key, field, value);
            case API -> api.edit(key, field, value);
        };
    }

    /** The hub's writes so far: ERP rows inserted or updated, API write requests, CRM files. */
    public Map<Name, Integer> writes() {
        Map<Name, Integer> writes = new EnumMap<>(Name.class);
        writes.put(Name.ERP, erp.hubWriteCount());
        writes.put(Name.API, api.writes().size());
        writes.put(Name.CRM, crm.hubFiles());
        return writes;
    }

    /** Per system, the keys of the records whose phone is each person's (before any edit: who is who). */
    public Map<Name, Map<Person, List<String>>> recordsByPerson(List<Person> people) {
        Map<String, Person> byPhone = new LinkedHashMap<>();
        people.forEach(person -> byPhone.put(person.phone(), person));
        Map<Name, Map<Person, List<String>>> all = new EnumMap<>(Name.class);
        for (Name system : Name.values()) {
            Map<Person, List<String>> keys = new LinkedHashMap<>();
            records(system).forEach((key, values) -> {
                Person person = byPhone.get(values.get(CustomerField.PHONE));
                keys.computeIfAbsent(person, p -> new ArrayList<>()).add(key);
            });
            all.put(system, keys);
        }
        return all;
    }

    /** The systems' names by source. */
    public static Set<String> sources() {
        return Set.of("crm", "erp", "api");
    }

    @Override
    public void close() {
        crm.close();
        api.close();
        erp.close();
    }
}
