package io.customerhub.bench;

import io.customerhub.testing.HubHome;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedWriter;
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

    private static final String HEADER = "客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间";
    private static final String[] FAMILIES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "欧阳", "Smith"};
    private static final String[] GIVENS = {"伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "小明", "John"};
    private static final String[] PROVINCES = {"广东", "浙江省", "上海", "四川", "北京市", "江苏"};
    private static final String[] CITIES = {"广州", "杭州市", "上海市", "成都", "北京", "南京"};
    private static final int[] MOBILE_PREFIXES = {130, 131, 132, 135, 136, 137, 138, 139, 150, 151, 152, 158, 186, 188, 189};

    public static void main(String... args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path work = Files.createTempDirectory("customer-hub-bench");
        HubHome home = HubHome.copyOfProject(work.resolve("home"));
        Path csv = work.resolve("customers.csv");
        generate(csv, rows);
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

    private static void generate(Path csv, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (int i = 0; i < rows; i++) {
                int p = i % PROVINCES.length;
                out.write("K" + i + "," + FAMILIES[i % FAMILIES.length] + GIVENS[(i / 7) % GIVENS.length] + ","
                        + (i % 3 == 0 ? "男" : i % 3 == 1 ? "F" : "2") + ","
                        + (1940 + i % 60) + String.format(Locale.ROOT, "%02d%02d", 1 + i % 12, 1 + i % 28) + ","
                        + MOBILE_PREFIXES[i % MOBILE_PREFIXES.length] + " "
                        + String.format(Locale.ROOT, "%04d %04d", (i / 10000) % 10000, i % 10000) + ",,"
                        + "User." + i + "@Example.com," + PROVINCES[p] + "," + CITIES[p] + ",,"
                        + "\"路 " + (i % 999) + " 号, " + (i % 30) + " 栋\",51" + String.format(Locale.ROOT, "%04d", i % 10000)
                        + ",,,2026-11-20 09:15:00\n");
            }
        }
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
