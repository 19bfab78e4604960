package io.customerhub.bench;

import io.customerhub.app.CustomerHub;
import io.customerhub.testing.SyntheticPeople;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matching benchmark: for each size (records, default 25,000 50,000 100,000), three source files
 * of {@link SyntheticPeople} (duplicates across the files, with typos, swapped names, missing and
 * changed values, and a truth column) go through the packaged jar's {@code evaluate} command in a
 * child JVM with {@code -Xmx512m}. Printed per size: comparisons in all and per record, records/s,
 * pairwise precision/recall/F1, peak RSS, and the raw H2 batch insert rate of the same rows
 * measured in the same run; then how comparisons grew against records between sizes.
 *
 * <p>The child is timed from start to exit, which includes starting the JVM and Camel, reading
 * the files a second time for the truth, polling, waiting for the pipeline to be idle, and
 * scoring: that fixed part is measured by one run on {@value #STARTUP_RECORDS} records first and
 * subtracted for the net rate. The child's own log gives a third figure, from Camel started to
 * Camel shutting down (reading, cleansing, matching, storing, and the idle wait).
 * <pre>java -cp target/test-classes:target/customer-hub.jar io.customerhub.bench.MatchBenchmark [records...]</pre>
 * It runs the jar it is given on the class path, with the {@code config/} and {@code routes/}
 * of the working directory.
 */
public final class MatchBenchmark {

    private static final int STARTUP_RECORDS = 300;
    private static final String XMX = "-Xmx512m";
    private static final Pattern FIGURES = Pattern.compile(
            "precision=(\\S+) recall=(\\S+) f1=(\\S+) records=(\\d+) golden=(\\d+) comparisons=(\\d+) blocking-recall=(\\S+)");

    private static final Pattern LOG_TIME = Pattern.compile("(?m)^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*\\(customer-hub\\) ");
    private static final DateTimeFormatter LOG_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private record Run(SyntheticPeople.Dataset data, double rawRowsPerSecond, ChildProcess.Outcome child,
                       double precision, double recall, double f1, long records, long golden, long comparisons,
                       double blockingRecall) {

        /** Seconds from "Camel ... started" to "Camel ... is shutting down" in the child's log; NaN if not found. */
        double pipelineSeconds() {
            LocalDateTime started = null;
            LocalDateTime stopping = null;
            Matcher line = LOG_TIME.matcher(child.output());
            while (line.find()) {
                String text = child.output().substring(line.end(), child.output().indexOf('\n', line.end()));
                if (text.startsWith("started in")) {
                    started = LocalDateTime.parse(line.group(1), LOG_FORMAT);
                } else if (text.startsWith("is shutting down")) {
                    stopping = LocalDateTime.parse(line.group(1), LOG_FORMAT);
                }
            }
            return started == null || stopping == null ? Double.NaN : Duration.between(started, stopping).toMillis() / 1e3;
        }
    }

    public static void main(String... args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg.replace("_", "").replace(",", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(25_000, 50_000, 100_000);
        }
        Path home = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("config/application.properties"))) {
            throw new IllegalStateException("run from the project folder: no config/application.properties in " + home);
        }
        Path jar = Path.of(CustomerHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("put the packaged customer-hub.jar on the class path, not " + jar);
        }
        Path work = Files.createTempDirectory("customer-hub-match-bench");
        Path mapping = Files.writeString(work.resolve("mapping.yaml"), SyntheticPeople.MAPPING);
        System.out.printf(Locale.ROOT, "jar: %s; child JVM %s, evaluate with the settings and routes of %s%n", jar, XMX, home);

        Run startup = run(jar, home, mapping, work.resolve("startup"), STARTUP_RECORDS);
        double fixed = startup.child().seconds();
        System.out.printf(Locale.ROOT, "fixed cost (evaluate on %d records: JVM + Camel start and stop, polling, idle wait,"
                + " scoring): %.1f s, of which Camel started to shutting down %.1f s%n", STARTUP_RECORDS, fixed,
                startup.pipelineSeconds());

        List<Run> runs = new ArrayList<>();
        for (int size : sizes) {
            Run run = run(jar, home, mapping, work.resolve(Integer.toString(size)), size);
            runs.add(run);
            System.out.printf(Locale.ROOT, "done %,d records in %.1f s%n", size, run.child().seconds());
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%9s %8s %8s %8s %11s %7s %9s %9s %7s %9s %7s %7s %7s %8s %8s %9s %7s %6s%n",
                "records", "people", "pairs", "golden", "comparisons", "cmp/rec", "precision", "recall", "f1", "blocking",
                "wall s", "camel s", "net s", "rec/s", "net r/s", "raw r/s", "net/raw", "RSS MB");
        for (Run run : runs) {
            double net = Math.max(run.child().seconds() - fixed, 1e-3);
            double netRate = run.records() / net;
            System.out.printf(Locale.ROOT, "%,9d %,8d %,8d %,8d %,11d %7.2f %9.4f %9.4f %7.4f %9.4f %7.1f %7.1f %7.1f %,8.0f %,8.0f"
                            + " %,9.0f %7.3f %6d%n",
                    run.records(), run.data().people(), run.data().truePairs(), run.golden(), run.comparisons(),
                    (double) run.comparisons() / run.records(), run.precision(), run.recall(), run.f1(), run.blockingRecall(),
                    run.child().seconds(), run.pipelineSeconds(), net, run.records() / run.child().seconds(), netRate, run.rawRowsPerSecond(),
                    netRate / run.rawRowsPerSecond(), run.child().peakRssMb());
        }
        System.out.println("(pairs = true duplicate pairs; blocking = the share of them whose records share a blocking key; wall = child JVM start to exit; camel = Camel started to shutting down,"
                + " from the child's log; net = wall minus the fixed cost; rec/s = records / wall s;"
                + " raw r/s = raw H2 batch insert of the same rows, best of 3; RSS = the child's peak)");
        for (int i = 1; i < runs.size(); i++) {
            Run from = runs.get(i - 1);
            Run to = runs.get(i);
            double records = (double) to.records() / from.records();
            double comparisons = (double) to.comparisons() / from.comparisons();
            System.out.printf(Locale.ROOT,
                    "growth %,d -> %,d: records x%.2f, comparisons x%.2f, exponent %.2f (linear 1, quadratic 2)%n",
                    from.records(), to.records(), records, comparisons, Math.log(comparisons) / Math.log(records));
        }
        System.out.println("work folder (delete when done): " + work);
    }

    /** Generates {@code records} records under {@code dir}, measures the raw baseline on them, then evaluates them. */
    private static Run run(Path jar, Path home, Path mapping, Path dir, int records) throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir, records, 20261201L + records);
        double raw = RawInsertBaseline.bestRowsPerSecond(data.files(), dir.resolve("raw"), 3);
        List<String> command = new ArrayList<>(List.of(ChildProcess.java(), XMX, "-jar", jar.toString(),
                "evaluate", "--home", home.toString(), "--mapping", mapping.toString(), "--truth-column", "person"));
        data.files().forEach(file -> command.add(file.toString()));
        ChildProcess.Outcome child = ChildProcess.run(command, dir.resolve("evaluate.log"));
        Matcher figures = FIGURES.matcher(child.output());
        if (child.exitCode() != 0 || !figures.find()) {
            System.out.println(child.output());
            throw new IllegalStateException("evaluate exited with " + child.exitCode() + " on " + dir);
        }
        long evaluated = Long.parseLong(figures.group(4));
        if (evaluated != data.records()) {
            throw new IllegalStateException("evaluate counted " + evaluated + " records of " + data.records());
        }
        return new Run(data, raw, child, Double.parseDouble(figures.group(1)), Double.parseDouble(figures.group(2)),
                Double.parseDouble(figures.group(3)), evaluated, Long.parseLong(figures.group(5)),
                Long.parseLong(figures.group(6)), Double.parseDouble(figures.group(7)));
    }
}
