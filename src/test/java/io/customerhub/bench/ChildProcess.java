package io.customerhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's child process: run to its end with its output in a file, timed from start to
 * exit, its peak resident set size ({@code VmHWM}) polled from {@code /proc} every 100 ms, and as
 * often the size of a file it writes (a store), whose peak it keeps; with a timeout, a process that
 * hangs is stopped so that the benchmark ends with its output.
 */
final class ChildProcess {

    /**
     * How the process ended: exit code, wall seconds from start to exit, peak RSS, the peak size of the watched file,
     * output, whether it was stopped for its timeout.
     */
    record Outcome(int exitCode, double seconds, long peakRssKb, long peakFileBytes, String output, boolean timedOut) {
        long peakRssMb() {
            return peakRssKb >> 10;
        }

        /** The last {@code lines} lines of the output. */
        String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private ChildProcess() {
    }

    /** The {@code java} launcher of the running JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} to its end, its output (stdout and stderr) written to {@code log}. */
    static Outcome run(List<String> command, Path log) throws IOException, InterruptedException {
        return run(command, log, null, null);
    }

    /**
     * As {@link #run(List, Path)}, but a process still running after {@code timeout} (none if
     * null) is asked to stop (SIGTERM, so that it can log why it is stuck) and killed 30 s later;
     * the peak size of {@code watched} (none if null) is kept.
     */
    static Outcome run(List<String> command, Path log, Duration timeout, Path watched) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peakRssKb = 0;
        long peakFileBytes = 0;
        boolean timedOut = false;
        while (process.isAlive()) {
            peakRssKb = Math.max(peakRssKb, peakRssKb(process.pid()));
            if (watched != null && Files.exists(watched)) {
                peakFileBytes = Math.max(peakFileBytes, Files.size(watched));
            }
            if (timeout != null && System.nanoTime() - start > timeout.toNanos()) {
                timedOut = true;
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
                break;
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(process.exitValue(), seconds, peakRssKb, peakFileBytes, Files.readString(log), timedOut);
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
