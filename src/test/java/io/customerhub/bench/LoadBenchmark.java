package io.customerhub.bench;

import io.customerhub.app.CustomerHub;
import io.customerhub.app.FileTree;
import io.customerhub.ops.SourceRoutes;
import io.customerhub.testing.SyntheticPeople;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Load benchmark: the daemon end to end, as an operator runs it. For each size (records, default
 * 100,000), three {@link SyntheticPeople} files (crm, shop, oa; about a third of the records are
 * further records of a person already in another file) are dropped into the inboxes of a fresh
 * hub home whose three sources each declare a {@code file-source} route {@code <source>-ingest}
 * and a {@code file-sync} route {@code <source>-sync}, so every golden-record change also goes
 * through the outbox and out as files to {@code data/outbox/<source>/}. The packaged jar then runs
 * {@code --once} in a child JVM with {@code -Xmx512m}, timed from JVM start to exit, its peak RSS
 * taken; the store is H2 under the home ({@code --store h2}, the default) or a PostgreSQL database
 * created for the run on 127.0.0.1:5432 and dropped after it ({@code --store postgres}, user
 * postgres or root without a password).
 *
 * <p>After the run the store is opened with plain JDBC: rows and indexes of every table present
 * (listed from {@link DatabaseMetaData}, so the benchmark follows the schema as it changes), the
 * bytes on disk (the H2 file is deleted once measured: it can take gigabytes), the outbox rows by
 * status and the files delivered, and a check that every record read is in {@code customer_source}
 * or {@code quarantine} (it fails if one is missing). Rates are divided by the raw H2 batch insert
 * rate of the same rows ({@link RawInsertBaseline}, best of 3) measured in the same run, because
 * absolute rates on a shared machine are noise. A child still running after 20 minutes
 * ({@code --timeout-minutes N}) is stopped and its output's tail printed. Arguments {@code -Dname=value} (hub
 * settings, {@code -Dhub.sync.batch-size=1000}), {@code -XX:...} (a flight recording) and {@code -agentpath:...} (a profiler such as async-profiler) go to the child JVM.
 * With {@code --no-sync} the sources declare no sync route: the ingest path alone (matching,
 * merging, history), without the outbox.
 * <pre>mvn -q -DskipTests package &amp;&amp; mvn -q test-compile &amp;&amp; java -cp target/test-classes:target/customer-hub.jar io.customerhub.bench.LoadBenchmark [--store h2|postgres] [--no-sync] [-Dname=value...] [-XX:option...] [records...]</pre>
 * Run it from the project folder: the home gets that folder's {@code config/} and
 * {@code routes/templates}, {@code routes/stages} and {@code routes/config}.
 */
public final class LoadBenchmark {

    private static final String XMX = "-Xmx512m";
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
    /** A line of the {@code --once} summary: source, read, created, updated, unchanged, quarantined, duplicates, failed files. */
    private static final Pattern SUMMARY_LINE = Pattern.compile("(?m)^\\S+ +(\\d+) +\\d+ +\\d+ +\\d+ +\\d+ +(\\d+) +\\d+$");

    /** One table of the store after a run; bytes as the database reports them (tables with their indexes). */
    private record Table(String name, long rows, int indexes, long bytes) {
    }

    private record Run(String store, SyntheticPeople.Dataset data, double rawRowsPerSecond, ChildProcess.Outcome child,
                       double ingestSeconds, double syncSeconds, long storeBytes, List<Table> tables, long golden,
                       String outboxStatuses, long deliveredFiles, long deliveredRecords) {

        long rows(String table) {
            return tables.stream().filter(t -> t.name().equalsIgnoreCase(table)).mapToLong(Table::rows).sum();
        }

        long rows() {
            return tables.stream().mapToLong(Table::rows).sum();
        }

        long indexEntries() {
            return tables.stream().mapToLong(t -> t.rows() * t.indexes()).sum();
        }

        double perRecord(long amount) {
            return (double) amount / data.records();
        }
    }

    public static void main(String... args) throws Exception {
        String store = "h2";
        Duration timeout = Duration.ofMinutes(20);
        boolean sync = true;
        List<Integer> sizes = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-D") || args[i].startsWith("-XX:") || args[i].startsWith("-agentpath:")) {
                settings.add(args[i]);
                continue;
            }
            switch (args[i]) {
                case "--store" -> store = args[++i];
                case "--timeout-minutes" -> timeout = Duration.ofMinutes(Long.parseLong(args[++i]));
                case "--no-sync" -> sync = false;
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "").replace(",", "")));
            }
        }
        if (!store.equals("h2") && !store.equals("postgres")) {
            throw new IllegalArgumentException("--store h2 or --store postgres, not " + store);
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000);
        }
        Path project = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(project.resolve("config/application.properties"))) {
            throw new IllegalStateException("run from the project folder: no config/application.properties in " + project);
        }
        Path jar = Path.of(CustomerHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("put the packaged customer-hub.jar on the class path, not " + jar);
        }
        Path work = Files.createTempDirectory("customer-hub-load-bench");
        System.out.printf(Locale.ROOT, "jar: %s; child JVM %s, --once with the settings and route templates of %s; store %s%n",
                jar, XMX, project, store);

        List<Run> runs = new ArrayList<>();
        for (int size : sizes) {
            Run run = run(store, jar, project, work.resolve(store + "-" + size), size, timeout, sync, settings);
            runs.add(run);
            printDetails(run);
            checkEveryRecordStored(run);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s %9s %8s %8s %8s %7s %7s %8s %9s %7s %6s %9s %9s %8s %7s %9s%n", "store", "records",
                "people", "golden", "ingest s", "sync s", "wall s", "rec/s", "raw r/s", "rec/raw", "RSS MB", "bytes/rec",
                "peak b/r", "rows/rec", "idx/rec", "outbox");
        for (Run run : runs) {
            double rate = run.data().records() / run.child().seconds();
            System.out.printf(Locale.ROOT, "%-8s %,9d %,8d %,8d %8.1f %7.1f %7.1f %,8.0f %,9.0f %7.4f %6d %,9.0f %,9.0f %8.2f %7.2f %,9d%n",
                    run.store(), run.data().records(), run.data().people(), run.golden(), run.ingestSeconds(),
                    run.syncSeconds(), run.child().seconds(), rate, run.rawRowsPerSecond(), rate / run.rawRowsPerSecond(),
                    run.child().peakRssMb(),
                    run.perRecord(run.storeBytes()), run.perRecord(run.child().peakFileBytes()), run.perRecord(run.rows()),
                    run.perRecord(run.indexEntries()),
                    run.rows("sync_outbox"));
        }
        System.out.println("(people = distinct persons in the files; golden = golden records holding source records;"
                + " ingest = child JVM start to the last input file moved to data/done; sync = to the last file"
                + " delivered to data/outbox; wall = to exit; rec/s = records / wall s; raw r/s = raw H2 batch insert of the same rows,"
                + " best of 3; rec/raw = their ratio; RSS = the child's peak; bytes/rec = store size on disk per record after the run;"
                + " peak b/r = the H2 store file's largest size during the run, per record (0 for PostgreSQL);"
                + " rows/rec = rows in all tables at the end; idx/rec = those rows times the indexes of their table;"
                + " outbox = sync_outbox rows)");
        for (int i = 1; i < runs.size(); i++) {
            Run from = runs.get(i - 1);
            Run to = runs.get(i);
            double records = (double) to.data().records() / from.data().records();
            double wall = to.child().seconds() / from.child().seconds();
            System.out.printf(Locale.ROOT, "growth %,d -> %,d: records x%.2f, wall x%.2f, exponent %.2f (linear 1, quadratic 2)%n",
                    from.data().records(), to.data().records(), records, wall, Math.log(wall) / Math.log(records));
        }
        System.out.println("work folder (delete when done): " + work);
    }

    /** Generates {@code records} records under {@code dir}, measures the raw baseline on them, runs the hub on them and reads its store. */
    private static Run run(String store, Path jar, Path project, Path dir, int records, Duration timeout, boolean sync,
                           List<String> settings) throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir.resolve("input"), records, 20261201L + records);
        double raw = RawInsertBaseline.bestRowsPerSecond(data.files(), dir.resolve("raw"), 3);
        Path home = home(project, dir.resolve("home"), data, sync);
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), XMX, "-Dhub.file.read-lock-min-age=0",
                "-Dhub.file.poll-delay=100", "-Dcamel.management.enabled=false", "-Dcamel.server.enabled=false"));
        command.addAll(settings);
        if (store.equals("h2")) {
            Instant started = Instant.now();
            ChildProcess.Outcome child = runHub(command, jar, home, dir, timeout);
            // taken before the file is opened again: opening and closing an H2 file may compact it
            long bytes = Files.size(home.resolve("data/store/customer-hub.mv.db"));
            Run run;
            try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/store/customer-hub"), "sa", "")) {
                run = inspect(store, data, raw, child, started, bytes, connection, "SELECT DISK_SPACE_USED(?)", home);
            }
            // the file can be gigabytes (mostly free space), and the work folder keeps every size
            FileTree.delete(home.resolve("data/store"));
            return run;
        }
        String user = postgresUser();
        String database = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute(POSTGRES + "postgres", user, "CREATE DATABASE " + database);
        try {
            command.addAll(List.of("-Dhub.store.url=" + POSTGRES + database, "-Dhub.store.user=" + user));
            Instant started = Instant.now();
            ChildProcess.Outcome child = runHub(command, jar, home, dir, timeout);
            try (Connection connection = DriverManager.getConnection(POSTGRES + database, user, "")) {
                long bytes = number(connection, "SELECT pg_database_size(current_database())");
                return inspect(store, data, raw, child, started, bytes, connection,
                        "SELECT pg_total_relation_size(?::regclass)", home);
            }
        } finally {
            execute(POSTGRES + "postgres", user, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /**
     * A hub home under {@code root}: the project's settings and shared routes, one source file per
     * input file declaring its ingest and its sync route, and the input file in that source's inbox.
     */
    private static Path home(Path project, Path root, SyntheticPeople.Dataset data, boolean sync) throws Exception {
        FileTree.copy(project.resolve("config"), root.resolve("config"));
        for (String folder : List.of("templates", "stages", "config")) {
            FileTree.copy(project.resolve("routes").resolve(folder), root.resolve("routes").resolve(folder));
        }
        Files.createDirectories(root.resolve("routes/sources"));
        for (Path file : data.files()) {
            String source = file.getFileName().toString().replace(".csv", "");
            Files.writeString(root.resolve("routes/sources").resolve(source + ".camel.yaml"), SourceRoutes.fileSourceDeclaration(source, "csv", SyntheticPeople.MAPPING, sync));
            Path inbox = Files.createDirectories(root.resolve("data/inbox").resolve(source));
            Files.move(file, inbox.resolve(file.getFileName()));
        }
        return root;
    }

    private static ChildProcess.Outcome runHub(List<String> command, Path jar, Path home, Path dir, Duration timeout)
            throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-jar", jar.toString(), "--home", home.toString(), "--once"));
        // an embedded H2 store's file, whose size during the load is what the disk must hold
        ChildProcess.Outcome child = ChildProcess.run(full, dir.resolve("hub.log"), timeout,
                home.resolve("data/store/customer-hub.mv.db"));
        if (child.exitCode() != 0 || child.timedOut()) {
            System.out.println(child.tail(60));
            throw new IllegalStateException("customer-hub --once " + (child.timedOut() ? "stopped after " + timeout.toMinutes()
                    + " minutes" : "exited with " + child.exitCode()) + " on " + home + " (log: " + dir.resolve("hub.log") + ")");
        }
        return child;
    }

    /** Reads the store and the folders after a run: every table with its rows, indexes and bytes; the golden records; the phases. */
    private static Run inspect(String store, SyntheticPeople.Dataset data, double raw, ChildProcess.Outcome child,
                               Instant started, long bytes, Connection connection, String tableBytes, Path home)
            throws Exception {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        List<Table> tables = new ArrayList<>();
        for (String name : names) {
            Set<String> indexes = new HashSet<>();
            // one row per indexed column; PostgreSQL adds a statistics row without an index name
            try (ResultSet rs = meta.getIndexInfo(null, connection.getSchema(), name, false, true)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null) {
                        indexes.add(rs.getString("INDEX_NAME"));
                    }
                }
            }
            String quoted = '"' + name + '"';
            tables.add(new Table(name, number(connection, "SELECT COUNT(*) FROM " + quoted), indexes.size(),
                    number(connection, tableBytes, quoted)));
        }
        long golden = number(connection, "SELECT COUNT(DISTINCT customer_id) FROM customer_source");
        List<String> statuses = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT status, COUNT(*) FROM sync_outbox GROUP BY status ORDER BY status")) {
            while (rs.next()) {
                statuses.add(String.format(Locale.ROOT, "%s %,d", rs.getString(1), rs.getLong(2)));
            }
        }
        List<Path> delivered = List.of();
        if (Files.isDirectory(home.resolve("data/outbox"))) {
            try (Stream<Path> files = Files.walk(home.resolve("data/outbox"))) {
                delivered = files.filter(Files::isRegularFile).toList();
            }
        }
        long deliveredRecords = 0;
        for (Path file : delivered) {
            // a header line, then one line per record: the generated values hold no line breaks
            try (Stream<String> lines = Files.lines(file)) {
                deliveredRecords += lines.count() - 1;
            }
        }
        return new Run(store, data, raw, child, secondsUntilLastChange(home.resolve("data/done"), started),
                secondsUntilLastChange(home.resolve("data/outbox"), started), bytes, tables, golden,
                String.join(", ", statuses), delivered.size(), deliveredRecords);
    }

    /**
     * Seconds from {@code start} to the last change of a folder below {@code parent}: a file moved
     * into {@code done/<source>/} (read and stored) or renamed into {@code outbox/<source>/}
     * (delivered) changes its folder; NaN when there is none.
     */
    private static double secondsUntilLastChange(Path parent, Instant start) throws Exception {
        if (!Files.isDirectory(parent)) {
            return Double.NaN;
        }
        Instant last = null;
        try (Stream<Path> folders = Files.list(parent)) {
            for (Path folder : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
                Instant changed = Files.getLastModifiedTime(folder).toInstant();
                last = last == null || changed.isAfter(last) ? changed : last;
            }
        }
        return last == null ? Double.NaN : Duration.between(start, last).toMillis() / 1e3;
    }

    /**
     * Fails unless every record read is stored or quarantined: the records of the files minus the
     * duplicates the hub counted (a delivery it had already stored) must equal the rows of
     * customer_source plus quarantine.
     */
    private static void checkEveryRecordStored(Run run) {
        long read = 0;
        long duplicates = 0;
        Matcher line = SUMMARY_LINE.matcher(run.child().output());
        while (line.find()) {
            read += Long.parseLong(line.group(1));
            duplicates += Long.parseLong(line.group(2));
        }
        long records = run.data().records();
        long expected = records - duplicates;
        long found = run.rows("customer_source") + run.rows("quarantine");
        System.out.printf(Locale.ROOT, "  records %,d, read %,d, duplicates counted %,d: expected in the store %,d;"
                + " found %,d (customer_source %,d + quarantine %,d)%n", records, read, duplicates, expected, found,
                run.rows("customer_source"), run.rows("quarantine"));
        if (read != records || found != expected) {
            throw new IllegalStateException("RECORDS MISSING: " + records + " records in the files, " + read
                    + " read, " + expected + " expected in customer_source or quarantine, " + found + " there");
        }
    }

    /** The line the hub logs when it closes an embedded H2 store (StoreDataSource). */
    private static final Pattern FILE_WORK = Pattern.compile("Store file since open: (.*)");

    private static void printDetails(Run run) {
        long tableBytes = run.tables().stream().mapToLong(Table::bytes).sum();
        System.out.printf(Locale.ROOT, "%n%s, %,d records: %.1f s; store %,d bytes, of which the tables hold %,d (%.1f%%)%n",
                run.store(), run.data().records(), run.child().seconds(), run.storeBytes(), tableBytes,
                100.0 * tableBytes / run.storeBytes());
        // the outbox keeps only what it could not deliver (FAILED, DEAD) or was told not to (SKIPPED: create never)
        System.out.printf(Locale.ROOT, "  sync_outbox rows left, by status: %s; delivered %,d files with %,d records%n",
                run.outboxStatuses().isEmpty() ? "none" : run.outboxStatuses(), run.deliveredFiles(), run.deliveredRecords());
        // H2's own count of the file's reads and writes: the work of the load, less noisy than its time on a busy machine
        Matcher fileWork = FILE_WORK.matcher(run.child().output());
        if (fileWork.find()) {
            System.out.println("  store file: " + fileWork.group(1));
        }
        System.out.printf(Locale.ROOT, "  %-24s %10s %8s %7s %8s %13s %9s%n", "table", "rows", "rows/rec", "indexes",
                "idx/rec", "bytes", "bytes/rec");
        for (Table table : run.tables()) {
            System.out.printf(Locale.ROOT, "  %-24s %,10d %8.3f %7d %8.3f %,13d %,9.0f%n", table.name().toLowerCase(Locale.ROOT),
                    table.rows(), run.perRecord(table.rows()), table.indexes(), run.perRecord(table.rows() * table.indexes()),
                    table.bytes(), run.perRecord(table.bytes()));
        }
    }

    /** The user PostgreSQL lets in without a password: postgres, else root. */
    private static String postgresUser() {
        List<String> failures = new ArrayList<>();
        for (String user : List.of("postgres", "root")) {
            try (Connection ignored = DriverManager.getConnection(POSTGRES + "postgres", user, "")) {
                return user;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("no connection to " + POSTGRES + "postgres: " + failures);
    }

    private static void execute(String url, String user, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long number(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
