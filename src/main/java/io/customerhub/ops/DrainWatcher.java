package io.customerhub.ops;

import io.customerhub.store.CustomerStore;
import io.customerhub.store.SyncOutbox;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides when {@code --once} is done: no file source has a file waiting in its inbox (an inbox that cannot be read
 * fails the run, naming it), every
 * polled source (HTTP, database) has read everything since the run began, nothing is in flight, no
 * golden record waits for the merge stage and no change waits for a target, twice in a row; or an ingest exchange failed (the
 * file stays in its inbox and would be retried forever), or the time is up. Sync targets are idle
 * when no change waits for them. A polled source whose last poll failed, or a sync target whose
 * changes failed, does not hold up the others: the run drains them, then fails naming it.
 */
public final class DrainWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DrainWatcher.class);

    private static final long CHECK_MILLIS = 250;

    private final CamelContext context;
    private final FailedExchangeRecorder failures;
    private final CustomerStore store;
    private final PolledSources polledSources;
    private final InitialReads initialReads;

    public DrainWatcher(CamelContext context) {
        this.context = context;
        this.failures = context.getRegistry().lookupByNameAndType("failedExchangeRecorder", FailedExchangeRecorder.class);
        this.store = context.getRegistry().lookupByNameAndType("customerStore", CustomerStore.class);
        this.polledSources = context.getRegistry().lookupByNameAndType("polledSources", PolledSources.class);
        this.initialReads = context.getRegistry().lookupByNameAndType("initialReads", InitialReads.class);
    }

    /** True when drained; false on a failed exchange, a polled source that is down once the rest drained, or when {@code timeout} passes first. */
    public boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietChecks = 0;
        while (System.nanoTime() < deadline) {
            if (failures.first() != null || !unreadableInboxes().isEmpty()) {
                return false;
            }
            // a polled source that is down holds up nothing else: the rest drains, then the run fails
            Map<String, String> down = polledSources.down();
            boolean quiet = pendingFiles() == 0 && down.keySet().containsAll(pollsBehind())
                    && context.getInflightRepository().size() == 0 && store.pendingMerges().isEmpty()
                    && SourceRoutes.syncTargets(context).stream()
                            .noneMatch(target -> initialReads.isRead(target) && store.syncOutbox().hasPending(target));
            quietChecks = quiet ? quietChecks + 1 : 0;
            if (quietChecks >= 2) {
                for (String target : SourceRoutes.syncTargets(context)) {
                    if (!initialReads.isRead(target) && store.syncOutbox().hasPending(target)) {
                        LOG.warn("{}: its changes wait in the change log: {} has not been read completely yet (give it its"
                                + " first export or poll); the daemon delivers them once it has", target, target);
                    }
                }
                return down.isEmpty() && undelivered(syncBacklogs()).isEmpty();
            }
            try {
                Thread.sleep(CHECK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Why the run did not drain, for the operator. */
    public String failureReport() {
        String failure = failures.first();
        if (failure != null) {
            return "stopped: " + failure;
        }
        List<String> unreadable = unreadableInboxes();
        if (!unreadable.isEmpty()) {
            return "stopped: " + String.join("; ", unreadable);
        }
        Map<String, String> down = polledSources.down();
        if (!down.isEmpty()) {
            return "stopped: " + down.entrySet().stream().map(e -> "source " + e.getKey() + " could not be polled: " + e.getValue())
                    .collect(Collectors.joining("; "));
        }
        Map<String, SyncOutbox.Backlog> undelivered = undelivered(syncBacklogs());
        if (!undelivered.isEmpty()) {
            return "stopped: " + undelivered.entrySet().stream().map(e -> "target " + e.getKey() + " did not take "
                    + (e.getValue().failed() + e.getValue().dead()) + " change(s) (see sync_outbox.last_error)")
                    .collect(Collectors.joining("; "));
        }
        return "stopped: timed out with " + pendingFiles() + " file(s) still waiting in the inboxes, "
                + pollsBehind().size() + " polled source(s) not caught up " + pollsBehind() + " and "
                + store.pendingMerges().size() + " golden record(s) waiting for the merge stage";
    }

    /** The outbox backlog of every sync target ({@code <target>-sync} route). */
    private Map<String, SyncOutbox.Backlog> syncBacklogs() {
        Map<String, SyncOutbox.Backlog> backlogs = new TreeMap<>();
        for (String target : SourceRoutes.syncTargets(context)) {
            backlogs.put(target, store.syncOutbox().backlog(target));
        }
        return backlogs;
    }

    /** The targets with changes that failed (waiting for a retry, or dead): a target down, for {@code --once}. */
    private static Map<String, SyncOutbox.Backlog> undelivered(Map<String, SyncOutbox.Backlog> backlogs) {
        Map<String, SyncOutbox.Backlog> undelivered = new TreeMap<>(backlogs);
        undelivered.values().removeIf(backlog -> backlog.failed() + backlog.dead() == 0);
        return undelivered;
    }

    /** The polled sources (timer-driven {@code <source>-ingest} routes) without a complete poll yet. */
    List<String> pollsBehind() {
        return SourceRoutes.sources(context, SourceRoutes.INGEST, route -> route.getEndpoint() instanceof TimerEndpoint)
                .stream().filter(source -> !polledSources.caughtUp(source)).toList();
    }

    /** The inboxes of file-source routes that cannot be listed (not a folder, or not readable), each with why. */
    List<String> unreadableInboxes() {
        return context.getRoutes().stream()
                .filter(route -> route.getEndpoint() instanceof FileEndpoint)
                .map(route -> {
                    Path inbox = ((FileEndpoint) route.getEndpoint()).getFile().toPath();
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
                        return null;
                    } catch (IOException | SecurityException e) {
                        return "the inbox " + inbox + " of route " + route.getRouteId() + " cannot be read ("
                                + (Files.exists(inbox) && !Files.isDirectory(inbox) ? "it is not a folder" : e) + ")";
                    }
                })
                .filter(Objects::nonNull)
                .toList();
    }

    /** Files waiting in the inboxes of all file-source routes. */
    long pendingFiles() {
        return context.getRoutes().stream()
                .map(Route::getEndpoint)
                .filter(FileEndpoint.class::isInstance)
                .map(FileEndpoint.class::cast)
                .mapToLong(DrainWatcher::waitingIn)
                .sum();
    }

    static long waitingIn(FileEndpoint endpoint) {
        File[] files = endpoint.getFile().listFiles();
        if (files == null) {
            return 0;
        }
        Pattern include = endpoint.getIncludePattern();
        Pattern exclude = endpoint.getExcludePattern();
        return Stream.of(files)
                .filter(File::isFile)
                .map(File::getName)
                .filter(name -> !name.startsWith(".") && !name.endsWith(".camelLock"))
                .filter(name -> include == null || include.matcher(name).matches())
                .filter(name -> exclude == null || !exclude.matcher(name).matches())
                .filter(Objects::nonNull)
                .count();
    }
}
