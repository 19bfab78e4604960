package io.customerhub.app;

import io.customerhub.app.CommandLine;
import io.customerhub.ops.DrainWatcher;
import io.customerhub.app.Evaluation;
import io.customerhub.ops.IngestStatistics;
import io.customerhub.ops.ManagementAccess;
import io.customerhub.ops.RouteDeclarations;
import io.customerhub.app.DaemonClient;
import io.customerhub.ops.HubControl;
import io.customerhub.app.TemplateSpec;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Starts customer-hub: {@code java -jar customer-hub.jar [--home DIR] [--once]} runs the daemon
 * (or drains every source once), {@code ... replay [--source S] [--id N]} replays quarantined
 * records, {@code ... evaluate ...} scores matching against a truth column, {@code explain},
 * {@code merge} and {@code unmerge} show and correct golden records, {@code sync-retry} puts a target's dead outbox rows back, {@code spec} shows what a route template takes. Everything else is wired in {@link HubConfiguration} and the YAML under {@code routes/}.
 */
public final class CustomerHub {

    private CustomerHub() {
    }

    public static void main(String... args) throws Exception {
        if ("json".equalsIgnoreCase(System.getenv("HUB_LOG_FORMAT")) && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        CommandLine command;
        try {
            command = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(command));
        } catch (Exception e) {
            // a setting or declaration the hub cannot start with: one paragraph, not a stack trace
            StringBuilder reason = new StringBuilder();
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
                if (reason.indexOf(message) < 0) {
                    reason.append(reason.length() == 0 ? "" : ": ").append(message);
                }
            }
            System.err.println("customer-hub cannot start: " + reason);
            System.exit(2);
        }
    }

    /** Runs one command to its end and returns the process exit code. */
    public static int run(CommandLine command) throws Exception {
        Path home = command.home().toAbsolutePath().normalize();
        if (command.action() != CommandLine.Action.RUN) {
            // the command's result alone on stdout: `explain ID > golden.json` is JSON
            System.setProperty("hub.log.target", "System.err");
        }
        if (command.action() == CommandLine.Action.EVALUATE) {
            System.out.println(Evaluation.run(home, command.mapping(), command.truthColumn(),
                    command.truthRegex() == null ? null : Pattern.compile(command.truthRegex()), command.files()).line());
            return 0;
        }
        if (command.action() == CommandLine.Action.SPEC) {
            return spec(home, command);
        }
        Path settings = home.resolve("config/application.properties");
        if (!Files.isRegularFile(settings)) {
            System.err.println("no settings file at " + settings + " (is --home right?)");
            return 2;
        }
        if (command.action() != CommandLine.Action.RUN) {
            return operate(home, command);
        }
        Main main = newMain(home);
        AtomicInteger exitCode = new AtomicInteger();
        if (command.once()) {
            main.addMainListener(afterStart(() -> watchUntilDrained(main, exitCode)));
        }
        stopOn("TERM", main);
        stopOn("INT", main);
        main.run();
        return exitCode.get() != 0 ? exitCode.get() : main.getExitCode();
    }

    /** Prints what the home's route templates take (one, or all); reads only {@code routes/}, so no settings are needed. */
    private static int spec(Path home, CommandLine command) {
        Path routes = home.resolve("routes");
        if (!Files.isDirectory(routes)) {
            System.err.println("no routes folder at " + routes + " (is --home right?)");
            return 2;
        }
        try {
            System.out.println(TemplateSpec.print(routes, command.ids().isEmpty() ? null : command.ids().get(0), command.json()));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }

    /**
     * Runs a hub operation: on the daemon running from {@code home} when one answers (Jolokia on its management
     * server), else on the store itself with no route started and no listener opened.
     */
    private static int operate(Path home, CommandLine command) throws Exception {
        CommandLine.Call call = command.call();
        try {
            Optional<DaemonClient> daemon = DaemonClient.find(home);
            if (daemon.isPresent()) {
                System.out.println(daemon.get().call(call.operation(), call.arguments()));
                return 0;
            }
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (command.action() == CommandLine.Action.PAUSE || command.action() == CommandLine.Action.RESUME
                || command.action() == CommandLine.Action.RELOAD) {
            System.err.println("no daemon runs from " + home + ": " + call.operation() + " acts on a running daemon");
            return 1;
        }
        Main main = newMain(home);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        main.configure().withAutoStartup(false);
        AtomicInteger exitCode = new AtomicInteger();
        main.addMainListener(afterStart(() -> {
            try {
                System.out.println(call.on(main.lookup("hubControl", HubControl.class)));
            } catch (RuntimeException e) {
                System.err.println(e.getMessage());
                exitCode.set(1);
            }
            main.completed();
        }));
        main.run();
        return exitCode.get() != 0 ? exitCode.get() : main.getExitCode();
    }

    /**
     * Makes {@code signal} (SIGTERM from {@code docker stop}, systemd or kill; SIGINT from Ctrl-C) end the run as a drained
     * {@code --once} does: Camel stops the routes, waiting up to {@code camel.main.shutdown-timeout} for the batches in
     * flight, the store closes after them, and the exit code is the run's. Left to the JVM, the signal starts every
     * shutdown hook at once, H2's among them, which closed the store under batches still being written.
     */
    @SuppressWarnings("restriction")
    private static void stopOn(String signal, Main main) {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), received -> {
            LoggerFactory.getLogger(CustomerHub.class).info("SIG{}: stopping; the batches in flight finish first", received.getName());
            main.completed();
        });
    }

    /** A Camel Main for {@code home}: its settings, its routes, the hub's beans; not yet started. */
    public static Main newMain(Path home) {
        Main main = new Main();
        main.addOverrideProperty("hub.home", home.toString());
        main.setPropertyPlaceholderLocations("file:" + home.resolve("config/application.properties"));
        main.configure().withRoutesIncludePattern("file:" + home.resolve("routes") + "/**/*.camel.yaml");
        main.configure().addConfiguration(new HubConfiguration());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configured) {
                List<String> errors = RouteDeclarations.check(home.resolve("routes"));
                if (!errors.isEmpty()) {
                    throw new IllegalArgumentException("the route declarations have " + errors.size() + " error(s):\n  "
                            + String.join("\n  ", errors));
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                ManagementAccess.check(configured.configure().httpManagementServer());
                if (configured.configure().isRoutesReloadEnabled()) {
                    throw new IllegalArgumentException("camel.main.routes-reload-enabled is not supported: it reloads the shared"
                            + " stages with the sources and fails on their route ids; reload routes/sources/ with"
                            + " `java -jar customer-hub.jar reload` or the hub MBean's reload operation, or set hub.reload.watch=true");
                }
            }
        });
        return main;
    }

    /** In --once mode: wait (off the main thread) until every source is drained, print the summary, stop. */
    private static void watchUntilDrained(Main main, AtomicInteger exitCode) {
        Thread watcher = new Thread(() -> {
            DrainWatcher drain = new DrainWatcher(main.getCamelContext());
            Duration timeout = Duration.ofSeconds(Long.parseLong(
                    main.getCamelContext().resolvePropertyPlaceholders("{{hub.once.timeout-seconds}}")));
            boolean drained = drain.awaitDrained(timeout);
            System.out.print(main.lookup("ingestStatistics", IngestStatistics.class).summary());
            System.out.print(main.lookup("hubControl", HubControl.class).goldenSummary());
            if (!drained) {
                System.err.println(drain.failureReport());
                exitCode.set(1);
            }
            main.completed();
        }, "once-drain-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static MainListenerSupport afterStart(Runnable action) {
        return new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport main) {
                action.run();
            }
        };
    }
}
