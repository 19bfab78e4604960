package io.customerhub.bench;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.SyntheticCustomers;

import java.nio.file.Files;
import java.nio.file.Path;
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

        double baseline = RawInsertBaseline.rowsPerSecond(List.of(csv), work.resolve("raw"));
        System.out.printf(Locale.ROOT, "raw H2 batch insert (batch 1000, one table): %,.0f rows/s%n", baseline);

        Files.createDirectories(home.data("inbox", "crm"));
        Files.move(csv, home.data("inbox", "crm", "customers.csv"));
        ChildProcess.Outcome hub = ChildProcess.run(List.of(ChildProcess.java(),
                "-Xmx256m", "-Dcamel.management.enabled=false", "-Dhub.file.read-lock-min-age=0",
                "-jar", Path.of("target/customer-hub.jar").toAbsolutePath().toString(),
                "--home", home.root().toString(), "--once"), work.resolve("hub.log"));
        if (hub.exitCode() != 0) {
            System.out.println(hub.output());
            throw new IllegalStateException("customer-hub --once exited with " + hub.exitCode());
        }
        double rate = rows / hub.seconds();
        System.out.printf(Locale.ROOT, "customer-hub --once (JVM start to exit, -Xmx256m): %.1f s, %,.0f rows/s%n", hub.seconds(), rate);
        System.out.printf(Locale.ROOT, "ratio to raw H2 batch insert: %.2f%n", rate / baseline);
        System.out.printf(Locale.ROOT, "peak RSS: %,d MB%n", hub.peakRssMb());
        System.out.println("work folder (delete when done): " + work);
    }
}
