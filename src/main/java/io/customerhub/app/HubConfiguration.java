package io.customerhub.app;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.cleanse.ChineseRegions;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.RecordChecker;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.connect.Connectors;
import io.customerhub.enrich.HttpLookups;
import io.customerhub.enrich.RegionEnricher;
import io.customerhub.match.MatchSettings;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.SurvivorshipSettings;
import io.customerhub.ops.FailedExchangeRecorder;
import io.customerhub.ops.HubControl;
import io.customerhub.ops.IngestStatistics;
import io.customerhub.ops.SourceReload;
import io.customerhub.ops.StatusPage;
import io.customerhub.ops.LookupStatistics;
import io.customerhub.ops.FileCommitErrors;
import io.customerhub.ops.InitialReads;
import io.customerhub.ops.PolledSources;
import io.customerhub.ops.QuarantineReplayer;
import io.customerhub.ops.SourceRoutes;
import io.customerhub.ops.StageWatch;
import io.customerhub.ops.StoreWatch;
import io.customerhub.record.CanonicalField;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.MatchWeights;
import io.customerhub.store.StoreDataSource;
import io.customerhub.store.StoreSettings;
import io.customerhub.store.SyncOutbox;
import io.customerhub.store.Watermarks;
import io.customerhub.sync.SyncDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Creates the beans the routes call by name ({@code recordChecker}, {@code customerStore},
 * {@code ingestStatistics}, ...) from the {@code hub.*} settings. Beans are built once, in
 * dependency order, in plain code: the store's connection pool must exist exactly once.
 */
public final class HubConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Registry registry = context.getRegistry();

        HikariDataSource dataSource = StoreDataSource.open(new StoreSettings(
                required(properties, "hub.store.url"),
                properties.resolveProperty("hub.store.user").orElse(""),
                secret(properties, "hub.store.password"),
                Integer.parseInt(required(properties, "hub.store.pool-size"))));
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                StoreDataSource.close(dataSource);
            }
        });
        Map<String, String> match = settings(properties, "hub.match.", matchKeys());
        CustomerStore store = new CustomerStore(dataSource,
                MatchWeights.inForce(dataSource, required(properties, "hub.match.weights"), MatchSettings.from(match),
                        MatchSettings.weighted(match)),
                SurvivorshipSettings.from(settings(properties, "hub.merge.", mergeKeys())),
                () -> SourceRoutes.syncTargets(context),
                new SyncOutbox.Settings(Integer.parseInt(required(properties, "hub.sync.max-attempts")),
                        Duration.ofMillis(Long.parseLong(required(properties, "hub.sync.retry-delay"))),
                        Duration.ofMillis(Long.parseLong(required(properties, "hub.sync.retry-max-delay"))),
                        Duration.ofMillis(Long.parseLong(required(properties, "hub.sync.create-delay"))),
                        instanceId(properties)));
        ValidationRules rules = ValidationRules.from(settings(properties, "hub.validation.", validationKeys()));
        RecordChecker checker = new RecordChecker(
                new CustomerCleanser(CleansingSettings.from(settings(properties, "hub.cleanse.", cleanseKeys(properties))), rules),
                rules,
                RecordChecker.InvalidValues.valueOf(
                        required(properties, "hub.validation.invalid-values").trim().toUpperCase(Locale.ROOT)));
        FailedExchangeRecorder failures = new FailedExchangeRecorder();
        context.getManagementStrategy().addEventNotifier(failures);

        registry.bind("storeDataSource", dataSource);
        registry.bind("customerStore", store);
        registry.bind("syncOutbox", store.syncOutbox());
        Connectors connectors = new Connectors();
        registry.bind("connectors", connectors);
        StoreWatch storeWatch = new StoreWatch(store.health(),
                Duration.ofMillis(Long.parseLong(required(properties, "hub.store.check-interval"))), Clock.systemUTC());
        storeWatch.setCamelContext(context);
        registry.bind("storeWatch", storeWatch);
        HealthCheckRegistry.get(context).register(storeWatch);
        StageWatch stageWatch = new StageWatch(Long.parseLong(required(properties, "hub.stages.stuck-after")));
        stageWatch.setCamelContext(context);
        // the watch reads how long each exchange has been in flight
        context.getInflightRepository().setInflightBrowseEnabled(true);
        context.getManagementStrategy().addEventNotifier(stageWatch.steps());
        registry.bind("stageWatch", stageWatch);
        HealthCheckRegistry.get(context).register(stageWatch);
        // the merge stage's group: the golden ids of several batches, each once
        registry.bind("goldenIdUnion", (AggregationStrategy) (group, next) -> {
            Collection<?> ids = next.getMessage().getBody(Collection.class);
            if (group == null) {
                next.getMessage().setBody(new LinkedHashSet<Object>(ids));
                return next;
            }
            group.getMessage().getBody(Set.class).addAll(ids);
            return group;
        });
        registry.bind("recordChecker", checker);
        registry.bind("regionEnricher", new RegionEnricher(new ChineseRegions()));
        // filled by the lookups declared with the http-lookup template (routes/templates/http-lookup.camel.yaml)
        registry.bind("httpLookups", new HttpLookups());
        registry.bind("lookupStatistics", new LookupStatistics(
                () -> Optional.ofNullable(registry.findSingleByType(MeterRegistry.class))));
        IngestStatistics ingestStatistics = new IngestStatistics(
                Duration.ofMillis(Long.parseLong(required(properties, "hub.ingest.progress-interval"))),
                () -> Optional.ofNullable(registry.findSingleByType(MeterRegistry.class)));
        registry.bind("ingestStatistics", ingestStatistics);
        registry.bind("fileCommitErrors", new FileCommitErrors(Path.of(required(properties, "hub.data-dir")), ingestStatistics,
                context));
        QuarantineReplayer replayer = new QuarantineReplayer(store, checker);
        registry.bind("quarantineReplayer", replayer);
        registry.bind("failedExchangeRecorder", failures);
        Watermarks watermarks = new Watermarks(dataSource);
        registry.bind("watermarks", watermarks);
        InitialReads initialReads = new InitialReads(context, watermarks);
        context.getManagementStrategy().addEventNotifier(initialReads);
        registry.bind("initialReads", initialReads);
        registry.bind("syncDelivery", new SyncDelivery(store.syncOutbox(), initialReads::isRead, Clock.systemUTC(),
                () -> Optional.ofNullable(registry.findSingleByType(MeterRegistry.class))));
        registry.bind("polledSources", new PolledSources(watermarks,
                Duration.ofMillis(Long.parseLong(required(properties, "hub.poll.retry-delay"))),
                Duration.ofMillis(Long.parseLong(required(properties, "hub.poll.retry-max-delay"))),
                Clock.systemUTC(), () -> Optional.ofNullable(registry.findSingleByType(MeterRegistry.class))));
        SourceReload reload = new SourceReload(context, Path.of(required(properties, "hub.home"), "routes"));
        registry.bind("sourceReload", reload);
        HubControl control = new HubControl(context, store, dataSource, watermarks, replayer, ingestStatistics, reload,
                connectors);
        registry.bind("hubControl", control);
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext started) {
                control.register(Optional.ofNullable(registry.findSingleByType(MeterRegistry.class)));
                StatusPage.serve(started);
            }

            @Override
            public void onContextStopped(CamelContext stopped) {
                HubControl.unregister();
            }
        });
    }

    /** {@code hub.instance-id}, or when it is blank the host name and the hub's home: the same again after a restart. */
    private static String instanceId(PropertiesComponent properties) {
        String configured = properties.resolveProperty("hub.instance-id").orElse("").strip();
        if (!configured.isEmpty()) {
            return configured;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + Path.of(properties.resolveProperty("hub.home").orElse(".")).toAbsolutePath().normalize();
    }

    private static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("setting " + key + " is missing"));
    }

    /** A secret comes from the environment (HUB_STORE_PASSWORD) or from a file named by {@code key}-file. */
    private static String secret(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key + "-file")
                .filter(file -> !file.isBlank())
                .map(file -> {
                    try {
                        return Files.readString(Path.of(file)).strip();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read the secret file named by " + key + "-file", e);
                    }
                })
                .or(() -> properties.resolveProperty(key))
                .orElse("");
    }

    /** The values of {@code prefix + key} for those keys that are set, keyed without the prefix. */
    private static Map<String, String> settings(PropertiesComponent properties, String prefix, List<String> keys) {
        Map<String, String> settings = new TreeMap<>();
        for (String key : keys) {
            properties.resolveProperty(prefix + key).ifPresent(value -> settings.put(key, value));
        }
        return settings;
    }

    /** Every key a match setting can have: thresholds, limits, and agree/disagree weights per canonical field. */
    private static List<String> matchKeys() {
        List<String> keys = new ArrayList<>(List.of("upper-threshold", "lower-threshold", "address-cap", "max-block-size"));
        for (CanonicalField field : CanonicalField.values()) {
            keys.add("weight." + field.key() + ".agree");
            keys.add("weight." + field.key() + ".disagree");
        }
        return keys;
    }

    /** Every key a survivorship setting can have: the source priority, the default rule, and per field group a rule, an owner and a conflict rule. */
    private static List<String> mergeKeys() {
        List<String> keys = new ArrayList<>(List.of("source-priority", "survivorship.default"));
        for (FieldGroup group : FieldGroup.values()) {
            keys.add("survivorship." + group.key());
            keys.add("owner." + group.key());
            keys.add("conflict." + group.key());
        }
        // the same for organizations' golden records
        keys.addAll(keys.stream().map(key -> "organization." + key).toList());
        return keys;
    }

    /** Every key a validation rule can have: required, one-of, and pattern/values per canonical field. */
    /** The cleansing settings' keys, with {@code phone-area-code.<source>} for each source that has one. */
    private static List<String> cleanseKeys(PropertiesComponent properties) {
        List<String> keys = new ArrayList<>(List.of("phone-region", "time-zone", "date-order", "null-likes", "max-field-length",
                "max-record-length", "phone-area-code"));
        properties.loadProperties(key -> key.startsWith("hub.cleanse.phone-area-code."))
                .stringPropertyNames().forEach(key -> keys.add(key.substring("hub.cleanse.".length())));
        return keys;
    }

    private static List<String> validationKeys() {
        List<String> keys = new ArrayList<>(List.of("required", "one-of"));
        for (CanonicalField field : CanonicalField.values()) {
            keys.add("pattern." + field.key());
            keys.add("values." + field.key());
        }
        return keys;
    }
}
