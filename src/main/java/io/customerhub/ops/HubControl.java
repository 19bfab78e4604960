package io.customerhub.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.Probe;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.DataQuality;
import io.customerhub.store.StoreFigures;
import io.customerhub.store.StoreResult;
import io.customerhub.store.SyncOutbox;
import io.customerhub.store.Watermarks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;

/** The hub's operations ({@link HubControlMBean}), registered under {@value #OBJECT_NAME} while the hub runs. */
public final class HubControl implements HubControlMBean {

    public static final String OBJECT_NAME = "io.customerhub:type=Hub";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final CustomerStore store;
    private final DataSource dataSource;
    private final Watermarks watermarks;
    private final QuarantineReplayer replayer;
    private final IngestStatistics statistics;
    private final SourceReload reload;
    private final Connectors connectors;
    private final long goldenAtStart;
    private StoreFigures figures;
    private long figuresRead;
    private String quality;
    private long qualityRead;

    public HubControl(CamelContext context, CustomerStore store, DataSource dataSource, Watermarks watermarks,
                      QuarantineReplayer replayer, IngestStatistics statistics, SourceReload reload, Connectors connectors) {
        this.context = context;
        this.store = store;
        this.dataSource = dataSource;
        this.watermarks = watermarks;
        this.replayer = replayer;
        this.statistics = statistics;
        this.reload = reload;
        this.connectors = connectors;
        this.goldenAtStart = StoreFigures.read(dataSource).goldenRecords();
    }

    /**
     * The {@code --once} summary's line on golden records: how many there are, how many this run added, and how many of
     * the source records it created matched a customer already known (one of the others, or one stored before).
     */
    public String goldenSummary() {
        long golden = StoreFigures.read(dataSource).goldenRecords();
        long added = golden - goldenAtStart;
        long created = statistics.created();
        return String.format(Locale.ROOT, "golden records: %,d (%+,d this run); of %,d new source records, %,d matched a customer"
                + " already known%n", golden, added, created, Math.max(0, created - added));
    }

    /**
     * Registers this hub's MBean with the platform MBean server (where Camel's are, and what Jolokia serves), in place of
     * an earlier hub's in this JVM, and its gauges {@code hub_golden_records}, {@code hub_quarantine_open} and
     * {@code hub_reviews_open} with {@code meters}.
     */
    public void register(Optional<MeterRegistry> meters) {
        try {
            unregister();
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
        } catch (JMException e) {
            throw new IllegalStateException("could not register the MBean " + OBJECT_NAME + ": " + e.getMessage(), e);
        }
        meters.ifPresent(registry -> {
            Gauge.builder("hub_golden_records", this, HubControl::getGoldenRecords)
                    .description("Active golden records").register(registry);
            Gauge.builder("hub_quarantine_open", this, HubControl::getOpenQuarantine)
                    .description("Open quarantine entries").register(registry);
            Gauge.builder("hub_reviews_open", this, HubControl::getOpenReviews)
                    .description("Match reviews waiting for a data steward").register(registry);
        });
    }

    /** Takes the MBean away again (the hub stopped). */
    public static void unregister() {
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        } catch (JMException e) {
            throw new IllegalStateException("could not unregister the MBean " + OBJECT_NAME + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getStatus() {
        StoreFigures figures = figures();
        ObjectNode status = JSON.createObjectNode();
        status.put("at", Instant.now().toString());
        status.put("goldenRecords", figures.goldenRecords());
        status.put("openQuarantine", figures.totalOpenQuarantine());
        status.put("openReviews", figures.openReviews());
        figures.quarantineByRule().forEach(status.putObject("quarantineByRule")::put);
        ArrayNode sources = status.putArray("sources");
        for (String name : sources()) {
            ObjectNode source = sources.addObject();
            source.put("name", name);
            source.put("ingest", state(name + SourceRoutes.INGEST));
            source.put("sync", state(name + SourceRoutes.SYNC));
            StoreResult totals = statistics.totals(name);
            ObjectNode records = source.putObject("records");
            records.put("created", totals.created());
            records.put("updated", totals.updated());
            records.put("unchanged", totals.unchanged());
            records.put("quarantined", totals.quarantined());
            records.put("duplicates", totals.duplicates());
            Date last = lastCompleted(name + SourceRoutes.INGEST);
            source.put("lastSuccess", last == null ? null : last.toInstant().toString());
            source.put("watermark", figures.watermarks().get(name));
            source.put("openQuarantine", figures.openQuarantine().getOrDefault(name, 0L));
            if (context.getRoute(name + SourceRoutes.SYNC) != null) {
                SyncOutbox.Backlog backlog = store.syncOutbox().backlog(name);
                ObjectNode outbox = source.putObject("outbox");
                outbox.put("pending", backlog.pending());
                outbox.put("failed", backlog.failed());
                outbox.put("dead", backlog.dead());
                outbox.put("lagSeconds", backlog.oldestUnsent() == null ? 0
                        : Math.max(0, Duration.between(backlog.oldestUnsent(), Instant.now()).toSeconds()));
            }
        }
        return json(status);
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized String getDataQuality() {
        if (quality == null || System.nanoTime() - qualityRead > 30_000_000_000L) {
            ObjectNode sources = JSON.createObjectNode();
            DataQuality.read(dataSource).sources().forEach((name, figures) -> {
                ObjectNode source = sources.putObject(name);
                source.put("records", figures.records());
                figures.completeness().forEach(source.putObject("completeness")::put);
                figures.invalid().forEach(source.putObject("invalid")::put);
                source.put("duplicateRate", figures.duplicateRate());
                source.put("lastChange", figures.lastChange() == null ? null : figures.lastChange().toString());
            });
            quality = json(sources);
            qualityRead = System.nanoTime();
        }
        return quality;
    }

    @Override
    public String getHome() {
        return context.getPropertiesComponent().resolveProperty("hub.home").orElse("");
    }

    @Override
    public long getGoldenRecords() {
        return figures().goldenRecords();
    }

    @Override
    public long getOpenQuarantine() {
        return figures().totalOpenQuarantine();
    }

    @Override
    public long getOpenReviews() {
        return figures().openReviews();
    }

    /**
     * The store's figures, read at most once a second however many gauges and clients ask; an operation that changes
     * the store drops them ({@link #changed}), so that a client reads its effect right after it.
     */
    private synchronized StoreFigures figures() {
        if (figures == null || System.nanoTime() - figuresRead > 1_000_000_000L) {
            figures = StoreFigures.read(dataSource);
            figuresRead = System.nanoTime();
        }
        return figures;
    }

    /** Drops the figures read before an operation that changed the store; returns its report. */
    private synchronized String changed(String report) {
        figures = null;
        quality = null;
        return report;
    }

    @Override
    public String pause(String source) {
        return source + " paused: " + String.join(", ", eachRoute(source, "suspend", id -> context.getRouteController().suspendRoute(id)))
                + " suspended";
    }

    @Override
    public String resume(String source) {
        return source + " resumed: " + String.join(", ", eachRoute(source, "resume", id -> context.getRouteController().resumeRoute(id)))
                + " running";
    }

    /** Applies {@code action} to each route of {@code source}; returns their ids. */
    private List<String> eachRoute(String source, String verb, RouteAction action) {
        List<String> routes = routesOf(source);
        for (String route : routes) {
            try {
                action.apply(route);
            } catch (Exception e) {
                throw new IllegalStateException("could not " + verb + " route " + route + ": " + e.getMessage(), e);
            }
        }
        return routes;
    }

    private interface RouteAction {
        void apply(String routeId) throws Exception;
    }

    @Override
    public String reload() {
        return reload.reload();
    }

    @Override
    public String reread(String source) {
        routesOf(source);
        String was = watermarks.reset(source);
        return was == null ? source + " has no watermark: it is read from the start already"
                : source + ": watermark " + was + " cleared, the next poll reads the source from the start";
    }

    @Override
    public String replayQuarantine(String source) {
        return changed(replayer.replay(source == null || source.isBlank() ? null : source, null));
    }

    @Override
    public String replayQuarantineEntry(long id) {
        return changed(replayer.replay(null, id));
    }

    @Override
    public String explain(String goldenId) {
        return store.explain(goldenId);
    }

    @Override
    public String merge(String goldenId, String otherGoldenId) {
        return changed("merged into " + store.mergeGoldens(goldenId, otherGoldenId));
    }

    @Override
    public String unmerge(String goldenId) {
        return changed("unmerged into " + String.join(" ", store.unmerge(goldenId)));
    }

    @Override
    public String unmergeRecord(String source, String sourceKey) {
        return changed("unmerged into " + store.unmerge(source, sourceKey));
    }

    @Override
    public String review(long reviewId, boolean accept) {
        return changed("review " + reviewId + " " + (accept ? "accepted" : "rejected") + ": the record is in golden record "
                + store.resolveReview(reviewId, accept));
    }

    @Override
    public String settle(long conflictId, String side) {
        if (!side.equals("owner") && !side.equals("other")) {
            throw new IllegalArgumentException("a conflict is settled with owner or other, not " + side);
        }
        return changed("sync_conflict " + conflictId + " settled: golden record "
                + store.settleConflict(conflictId, side.equals("other")) + " has the " + side + " value");
    }

    @Override
    public String estimateWeights() {
        return store.estimateWeights().table() + "matching now with the " + store.matchSettings().origin()
                + " weights; hub.match.weights = learned (the newest) or a version number puts learned ones in force\n";
    }

    @Override
    public String check(String system) {
        List<Probe> probes = probes(system);
        String report = probes.stream().map(Probe::line).collect(Collectors.joining("\n"));
        if (probes.stream().anyMatch(probe -> !probe.ok())) {
            throw new IllegalStateException(report);
        }
        return report;
    }

    /** The probes of {@code system}'s connectors (all when empty) whose routes run now: a reload may have removed some. */
    private List<Probe> probes(String system) {
        Set<String> declared = sources();
        return connectors.of(system).stream().filter(connector -> declared.contains(connector.system())).map(Connector::probe)
                .toList();
    }

    @Override
    public String discover(String system) {
        StringBuilder text = new StringBuilder();
        for (Probe probe : probes(system)) {
            if (probe.outcome() == Probe.Outcome.OK || probe.outcome() == Probe.Outcome.FIELDS_MISSING) {
                if (!probe.fields().isEmpty()) {
                    text.append("# ").append(probe.system()).append(' ').append(probe.role()).append(" (").append(probe.where())
                            .append(")\n").append(String.join("\n", probe.fields())).append('\n');
                }
            } else {
                throw new IllegalStateException(probe.line());
            }
        }
        if (text.length() == 0) {
            throw new IllegalStateException(system + ": no fields to read yet (a file source with no file, an API page with no record)");
        }
        return text.toString().strip();
    }

    @Override
    public String reexport(String target) {
        Set<String> targets = SourceRoutes.syncTargets(context);
        if (!targets.contains(target)) {
            throw new IllegalArgumentException("no sync target named " + target + "; the targets are " + String.join(", ", targets));
        }
        return target + ": " + store.reexport(target) + " golden record(s) queued for delivery";
    }

    @Override
    public String retryDead(String target) {
        return target + ": " + store.syncOutbox().retryDead(target) + " dead change(s) put back for delivery";
    }

    /** Every source with an ingest or a sync route. */
    private Set<String> sources() {
        Set<String> sources = new TreeSet<>(SourceRoutes.sources(context, SourceRoutes.INGEST, route -> true));
        sources.addAll(SourceRoutes.sources(context, SourceRoutes.SYNC, route -> true));
        return sources;
    }

    /** The routes of {@code source} (ingest, sync or both); an unknown source is an error naming the known ones. */
    private List<String> routesOf(String source) {
        List<String> routes = new ArrayList<>();
        for (String suffix : List.of(SourceRoutes.INGEST, SourceRoutes.SYNC)) {
            if (context.getRoute(source + suffix) != null) {
                routes.add(source + suffix);
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no source named " + source + "; the sources are " + String.join(", ", sources()));
        }
        return routes;
    }

    private String state(String routeId) {
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        return status == null ? null : status.name();
    }

    private Date lastCompleted(String routeId) {
        ManagedRouteMBean route = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(routeId);
        return route == null ? null : route.getLastExchangeCompletedTimestamp();
    }
}
