package io.customerhub.bench;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.SyntheticCustomers;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ingest benchmark: a generated N-row CSV (default 1,000,000) through {@code customer-hub --once}
 * in a child JVM with {@code -Xmx256m}, against the raw H2 batch insert rate of the same rows
 * measured in the same run, plus the child's peak RSS. Run after {@code mvn -DskipTests package}:
 * <pre>java -cp target/test-classes:target/customer-hub.jar io.customerhub.bench.IngestBenchmark [rows]</pre>
 */
public final class IngestBenchmark {

    public static void main(String... args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createTempDirectory("customer-hub-bench");
        HubHome home = HubHome.copyOfProject(work.resolve("home"));
        Path csv = work.resolve("customers.csv");
        SyntheticCustomers.write(csv, rows);
        System.out.printf(Locale.ROOT, "input: %,d rows, %,d MB%n", rows, Files.size(csv) >> 20);

        double baseline = rawH2BatchInsert(csv, work.resolve("raw"));
        System.out.printf(Locale.ROOT, "raw H2 batch insert (batch 1000, one table): %,.0f rows/s%n", baseline);

        Files.createDirectories(home.data("inbox", "crm"));
        Files.move(csv, home.data("inbox", "crm", "customers.csv"));
        Process hub = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dcamel.management.enabled=false", "-Dhub.file.read-lock-min-age=0",
                "-jar", Path.of("target/customer-hub.jar").toAbsolutePath().toString(),
                "--home", home.root().toString(), "--once")
                .redirectErrorStream(true).redirectOutput(work.resolve("hub.log").toFile()).start();
        long start = System.nanoTime();
        long peakRssKb = 0;
        while (hub.isAlive()) {
            peakRssKb = Math.max(peakRssKb, peakRssKb(hub.pid()));
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (hub.exitValue() != 0) {
            System.out.println(Files.readString(work.resolve("hub.log")));
            throw new IllegalStateException("customer-hub --once exited with " + hub.exitValue());
        }
        double rate = rows / seconds;
        System.out.printf(Locale.ROOT, "customer-hub --once (JVM start to exit, -Xmx256m): %.1f s, %,.0f rows/s%n", seconds, rate);
        System.out.printf(Locale.ROOT, "ratio to raw H2 batch insert: %.2f%n", rate / baseline);
        System.out.printf(Locale.ROOT, "peak RSS: %,d MB%n", peakRssKb >> 10);
        System.out.println("work folder (delete when done): " + work);
    }

    /** Parses the same file and batch-inserts its raw values into one plain H2 table. */
    private static double rawH2BatchInsert(Path csv, Path dir) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("raw") + ";WRITE_DELAY=0", "sa", "")) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE raw_customer (k VARCHAR PRIMARY KEY, name VARCHAR, gender VARCHAR, birth VARCHAR,"
                        + " mobile VARCHAR, tel VARCHAR, email VARCHAR, province VARCHAR, city VARCHAR, district VARCHAR,"
                        + " street VARCHAR, postal VARCHAR, company VARCHAR, national_id VARCHAR, updated VARCHAR)");
            }
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            int count = 0;
            try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO raw_customer VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                    List<String> values = new ArrayList<>(record.toList());
                    for (int i = 0; i < 15; i++) {
                        insert.setString(i + 1, values.get(i));
                    }
                    insert.addBatch();
                    if (++count % 1000 == 0) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between two polls
        }
        return 0;
    }
}
