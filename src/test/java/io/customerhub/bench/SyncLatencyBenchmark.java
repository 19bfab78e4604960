package io.customerhub.bench;

import io.customerhub.app.CustomerHub;
import io.customerhub.testing.CustomerApiServer;
import io.customerhub.testing.CustomerField;
import io.customerhub.testing.ErpTable;
import io.customerhub.testing.FileDropCrm;
import io.customerhub.testing.HubProcess;
import io.customerhub.testing.ThreeSystems;
import io.customerhub.testing.ThreeSystems.Name;
import io.customerhub.testing.ThreeSystems.Person;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Sync latency benchmark: how long a single edit made in one system takes to reach every other
 * system, with every poll at 1 s. The packaged jar runs as a child JVM (as an operator runs it) on a
 * hub home with the three systems of {@link ThreeSystems}: a file-drop CRM (its own export is read
 * by {@code crm-ingest}, the hub's files are written by {@code crm-sync} and imported by the CRM every
 * poll), an ERP table on the PostgreSQL of 127.0.0.1:5432 ({@code jdbc-source}, {@code jdbc-sync}), and
 * a customer API on a real HTTP server whose clock is 7 h 13 min ahead of the hub's ({@code http-source},
 * {@code http-sync} with PATCH).
 *
 * <p>After the first load of 40 people has converged, edits are made one at a time, in turn in the
 * CRM, the ERP and the API, each of one field (name, phone, e-mail or city) of a random customer,
 * seeded; each starts at a random phase of the timers (0 to 999 ms after the systems went quiet from
 * the previous one). An edit's time is when the hub could first see it: the ERP's commit, the API's
 * write, the CRM's export file dropped (the CRM exports an edit at once). It has arrived in another
 * system when the hub's write carrying it did: the ERP's trigger log of the hub's update (commit
 * clock), the API's receipt of the PATCH, the modification time of the hub's CRM file (not the CRM's
 * import, which is the CRM's own delay). Latency = the last of the two arrivals minus the edit's time.
 * Prints p50 / p95 / max per system edited and overall, and per target; an edit that has not reached
 * every system after 30 s counts as lost and is listed.
 * <pre>mvn -q -DskipTests package &amp;&amp; mvn -q test-compile &amp;&amp; java -cp target/test-classes:target/customer-hub.jar io.customerhub.bench.SyncLatencyBenchmark [--edits-per-system 30] [--poll-ms 1000]</pre>
 * Run it from the project folder (the hub home gets its {@code config/} and {@code routes/}).
 */
public final class SyncLatencyBenchmark {

    private static final Duration LOST_AFTER = Duration.ofSeconds(30);

    /** One edit and when it reached each other system (null: not within {@link #LOST_AFTER}). */
    private record Measured(Name system, CustomerField field, String value, Instant at, Map<Name, Instant> arrived) {
        Long latencyMillis() {
            if (arrived.values().stream().anyMatch(Objects::isNull)) {
                return null;
            }
            return arrived.values().stream().mapToLong(t -> Duration.between(at, t).toMillis()).max().orElseThrow();
        }

        Long latencyMillis(Name target) {
            Instant t = arrived.get(target);
            return t == null ? null : Duration.between(at, t).toMillis();
        }
    }

    private SyncLatencyBenchmark() {
    }

    public static void main(String... args) throws Exception {
        int perSystem = 30;
        Duration poll = Duration.ofSeconds(1);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--edits-per-system" -> perSystem = Integer.parseInt(args[++i]);
                case "--poll-ms" -> poll = Duration.ofMillis(Long.parseLong(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected [--edits-per-system N] [--poll-ms MS]");
            }
        }
        Path project = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(project.resolve("config/application.properties"))) {
            throw new IllegalStateException("run from the project folder: no config/application.properties in " + project);
        }
        Path jar = Path.of(CustomerHub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path work = Files.createTempDirectory("customer-hub-sync-latency");
        System.out.printf(Locale.ROOT, "jar: %s; polls every %d ms; %d edits per system; work folder %s%n", jar, poll.toMillis(),
                perSystem, work);

        List<Person> people = ThreeSystems.people(40, 20261208L);
        ThreeSystems systems;
        try {
            systems = ThreeSystems.create(work, ThreeSystems.Options.of(poll));
        } catch (ErpTable.Unreachable e) {
            throw new IllegalStateException("the benchmark needs PostgreSQL: " + e.getMessage(), e);
        }
        HubProcess hub = null;
        try {
            for (Name system : Name.values()) {
                // 10 people in all three systems, the others in one or two: the hub creates the rest
                systems.seed(system, people.stream().filter(p -> p.id() < 10 || (p.id() + system.ordinal()) % 3 != 0).toList());
            }
            systems.startCrm();
            hub = HubProcess.start(systems.home, systems.hubSettingsAsOptions());
            Instant started = Instant.now();
            Map<Person, Map<Name, String>> keys = awaitFirstLoad(systems, people, hub, poll);
            System.out.printf(Locale.ROOT, "first load of %d people converged in %d ms; writes %s%n", people.size(),
                    Duration.between(started, Instant.now()).toMillis(), systems.writes());

            List<Measured> all = measure(systems, keys, perSystem, poll, new Random(2026));
            print(all);
        } finally {
            if (hub != null) {
                hub.close();
            }
            systems.close();
        }
        System.out.println("work folder (hub log, CRM files; delete when done): " + work);
    }

    /** Waits until every person is in every system once, with the same values everywhere, and the hub has written nothing for 3 polls. */
    private static Map<Person, Map<Name, String>> awaitFirstLoad(ThreeSystems systems, List<Person> people, HubProcess hub,
                                                                 Duration poll) throws InterruptedException {
        AtomicReference<Map<Name, Integer>> writes = new AtomicReference<>(systems.writes());
        AtomicReference<Instant> quietSince = new AtomicReference<>(Instant.now());
        awaitUntil("the first load", Duration.ofMinutes(3), hub, () -> {
            Map<Name, Integer> now = systems.writes();
            if (!now.equals(writes.get()) || !agree(systems, people)) {
                writes.set(now);
                quietSince.set(Instant.now());
                return false;
            }
            return Duration.between(quietSince.get(), Instant.now()).compareTo(poll.multipliedBy(3)) >= 0;
        });
        Map<Person, Map<Name, String>> keys = new java.util.LinkedHashMap<>();
        systems.recordsByPerson(people).forEach((system, byPerson) ->
                byPerson.forEach((person, found) -> keys.computeIfAbsent(person, p -> new EnumMap<>(Name.class)).put(system, found.get(0))));
        return keys;
    }

    /** Every person in every system exactly once, with the same values in all three. */
    private static boolean agree(ThreeSystems systems, List<Person> people) {
        Map<Name, Map<Person, List<String>>> byPerson = systems.recordsByPerson(people);
        for (Person person : people) {
            Map<CustomerField, String> first = null;
            for (Name system : Name.values()) {
                List<String> found = byPerson.get(system).get(person);
                if (found == null || found.size() != 1) {
                    return false;
                }
                Map<CustomerField, String> values = systems.records(system).get(found.get(0));
                if (first == null) {
                    first = values;
                } else if (!first.equals(values)) {
                    return false;
                }
            }
        }
        return byPerson.values().stream().noneMatch(m -> m.containsKey(null));
    }

    private static List<Measured> measure(ThreeSystems systems, Map<Person, Map<Name, String>> keys, int perSystem, Duration poll,
                                          Random random) throws InterruptedException {
        List<Person> customers = new ArrayList<>(keys.keySet());
        List<Measured> all = new ArrayList<>();
        int phones = 0;
        for (int i = 0; i < perSystem * 3; i++) {
            Name system = Name.values()[i % 3];
            Person person = customers.get(random.nextInt(customers.size()));
            CustomerField field = CustomerField.values()[random.nextInt(CustomerField.values().length)];
            String key = keys.get(person).get(system);
            String holds = systems.value(system, key, field);
            String value = switch (field) {
                case NAME -> {
                    String name;
                    do {
                        name = ThreeSystems.name(random);
                    } while (name.equals(holds));
                    yield name;
                }
                case PHONE -> String.format(Locale.ROOT, "+86137%08d", 30_000_000 + phones++ * 104_729);
                case EMAIL -> "latency" + i + "@example.com";
                case CITY -> ThreeSystems.CITIES.stream().filter(c -> !c.equals(holds))
                        .skip(random.nextInt(ThreeSystems.CITIES.size() - 1)).findFirst().orElseThrow();
            };
            Thread.sleep(random.nextInt(1000)); // a random phase of the 1-second timers
            int erpWrites = systems.erp.hubWriteCount();
            int apiWrites = systems.api.writes().size();
            int crmImports = systems.crm.imports().size();
            Instant at;
            if (system == Name.CRM) {
                at = systems.crm.editAndExport(key, field, value);
            } else {
                systems.edit(system, key, field, value);
                at = Instant.now();
            }
            Map<Name, Instant> arrived = new EnumMap<>(Name.class);
            Instant deadline = at.plus(LOST_AFTER);
            for (Name target : Name.values()) {
                if (target != system) {
                    arrived.put(target, null);
                }
            }
            while (arrived.containsValue(null) && Instant.now().isBefore(deadline)) {
                for (Name target : arrived.keySet()) {
                    if (arrived.get(target) == null) {
                        arrived.put(target, arrival(systems, target, keys.get(person).get(target), field, value, erpWrites, apiWrites,
                                crmImports));
                    }
                }
                Thread.sleep(10);
            }
            Measured measured = new Measured(system, field, value, at, arrived);
            all.add(measured);
            System.out.printf(Locale.ROOT, "edit %3d in %s of %-5s: %s%n", i + 1, system, field,
                    measured.latencyMillis() == null ? "LOST " + arrived : arrived.keySet().stream()
                            .map(t -> t + " " + measured.latencyMillis(t) + " ms").toList());
            awaitQuiet(systems, poll);
        }
        return all;
    }

    /** When the hub's write carrying {@code value} reached {@code target}'s record {@code key}, or null when it has not yet. */
    private static Instant arrival(ThreeSystems systems, Name target, String key, CustomerField field, String value, int erpWrites,
                                   int apiWrites, int crmImports) {
        return switch (target) {
            case ERP -> systems.erp.hubWrites().stream().skip(erpWrites)
                    .filter(w -> w.key().equals(key) && value.equals(w.after().get(field))).map(ErpTable.HubWrite::at)
                    .findFirst().orElse(null);
            case API -> systems.api.writes().stream().skip(apiWrites)
                    .filter(w -> w.id().equals(key) && value.equals(w.after().get(field))).map(CustomerApiServer.Write::at)
                    .findFirst().orElse(null);
            case CRM -> systems.crm.imports().stream().skip(crmImports)
                    .filter(i -> i.rows().containsKey(key) && value.equals(i.rows().get(key).get(field)))
                    .map(FileDropCrm.Import::written).findFirst().orElse(null);
        };
    }

    /** Waits until the hub has written nothing for two polls (the edit's echoes have come back and sent nothing). */
    private static void awaitQuiet(ThreeSystems systems, Duration poll) throws InterruptedException {
        Map<Name, Integer> last = systems.writes();
        Instant since = Instant.now();
        Instant deadline = since.plus(Duration.ofMinutes(1));
        while (Duration.between(since, Instant.now()).compareTo(poll.multipliedBy(2)) < 0) {
            if (Instant.now().isAfter(deadline)) {
                System.out.println("  (the hub did not go quiet within a minute; writes " + systems.writes() + ")");
                return;
            }
            Thread.sleep(50);
            Map<Name, Integer> now = systems.writes();
            if (!now.equals(last)) {
                last = now;
                since = Instant.now();
            }
        }
    }

    private static void awaitUntil(String what, Duration timeout, HubProcess hub, BooleanSupplier condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (!hub.isAlive()) {
                throw new IllegalStateException("the hub stopped; its output:\n" + hub.output());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + ": not within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static void print(List<Measured> all) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-22s %6s %6s %8s %8s %8s%n", "edited in -> reached", "edits", "lost", "p50 ms", "p95 ms",
                "max ms");
        for (Name system : Name.values()) {
            List<Measured> edits = all.stream().filter(m -> m.system() == system).toList();
            row(system + " -> both others", edits.stream().map(Measured::latencyMillis).toList());
            for (Name target : Name.values()) {
                if (target != system) {
                    row("  " + system + " -> " + target, edits.stream().map(m -> m.latencyMillis(target)).toList());
                }
            }
        }
        row("all -> every other", all.stream().map(Measured::latencyMillis).toList());
        System.out.println("(latency: from the edit visible to the hub (ERP commit, API write, CRM export dropped) to the hub's"
                + " write carrying it: ERP commit, API request received, CRM file written; nearest-rank percentiles; lost ="
                + " not everywhere after " + LOST_AFTER.toSeconds() + " s)");
    }

    private static void row(String label, List<Long> latencies) {
        List<Long> arrived = latencies.stream().filter(Objects::nonNull).sorted().toList();
        long lost = latencies.size() - arrived.size();
        if (arrived.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-22s %6d %6d %8s %8s %8s%n", label, latencies.size(), lost, "-", "-", "-");
            return;
        }
        System.out.printf(Locale.ROOT, "%-22s %6d %6d %8d %8d %8d%n", label, latencies.size(), lost, percentile(arrived, 50),
                percentile(arrived, 95), arrived.get(arrived.size() - 1));
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
