package io.customerhub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon ({@code target/customer-hub.jar}) in a child JVM on a {@link HubHome},
 * its output captured in a file, so tests can kill it, restart it and talk to it over JMX.
 */
public final class HubProcess implements AutoCloseable {

    /** The jar of this build: beside the test classes, so that {@code -DbuildDir=target-x} builds find their own. */
    private static final Path JAR = jar();

    private static Path jar() {
        try {
            Path classes = Path.of(HubProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = classes.getParent().resolve("customer-hub.jar");
            return Files.exists(beside) ? beside : Path.of("target/customer-hub.jar").toAbsolutePath();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Path.of("target/customer-hub.jar").toAbsolutePath();
        }
    }

    private final Process process;
    private final Path output;

    private HubProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code java [jvmOptions] -jar customer-hub.jar --home HOME [arguments]}. */
    public static HubProcess start(HubHome home, List<String> jvmOptions, String... arguments) {
        return start(home, Map.of(), jvmOptions, arguments);
    }

    /** As {@link #start(HubHome, List, String...)}, with extra environment variables. */
    public static HubProcess start(HubHome home, Map<String, String> environment, List<String> jvmOptions,
                                   String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dhub.file.poll-delay=100");
        command.add("-Dhub.file.read-lock-check-interval=100");
        command.add("-Dhub.file.read-lock-min-age=0");
        // free ports unless the test sets them through the environment, as an operator does
        if (!environment.containsKey("HUB_MANAGEMENT_PORT")) {
            command.add("-Dcamel.management.port=0");
        }
        if (!environment.containsKey("HUB_SERVER_PORT")) {
            command.add("-Dcamel.server.port=0");
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString(), "--home", home.root().toString()));
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile(home.root(), "hub-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new HubProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command printed on stdout and on stderr, and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs the command {@code java -jar customer-hub.jar --home HOME [arguments]} to its end (at most two minutes),
     * with {@code environment} (a daemon's management port), its stdout apart from its stderr.
     */
    public static Result run(HubHome home, Map<String, String> environment, String... arguments) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(home.storeOptions());
        command.addAll(List.of("-jar", JAR.toString(), "--home", home.root().toString()));
        command.addAll(List.of(arguments));
        try {
            Path stdout = Files.createTempFile(home.root(), "command-", ".out");
            Path stderr = Files.createTempFile(home.root(), "command-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", arguments) + " did not end within 2 minutes: " + Files.readString(stderr));
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the process printed so far. */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the hub did not finish within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** The threads of the running process and where each one is ({@code jcmd PID Thread.print}), for a failure's report. */
    public String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** Waits until the process ends or {@code timeout} passes; true when it ended. */
    public boolean endsWithin(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM, as {@code docker stop} sends it: a graceful stop. */
    public void terminate() {
        process.destroy();
    }

    /** kill -9: no shutdown hook, no graceful stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
