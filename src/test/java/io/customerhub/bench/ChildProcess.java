package io.customerhub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark's child process: run to its end with its output in a file, timed from start to
 * exit, its peak resident set size ({@code VmHWM}) polled from {@code /proc} every 100 ms.
 */
final class ChildProcess {

    /** How the process ended: exit code, wall seconds from start to exit, peak RSS, output. */
    record Outcome(int exitCode, double seconds, long peakRssKb, String output) {
        long peakRssMb() {
            return peakRssKb >> 10;
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
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peakRssKb = 0;
        while (process.isAlive()) {
            peakRssKb = Math.max(peakRssKb, peakRssKb(process.pid()));
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(process.exitValue(), seconds, peakRssKb, Files.readString(log));
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
