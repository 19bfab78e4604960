package io.customerhub.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sources' readers and the sync targets' writers declared under {@code routes/}: each registers itself when its
 * route is created (the bean property {@code connectors}), so that {@code check} and {@code discover} find them by
 * source name.
 */
public final class Connectors {

    private final TreeMap<String, List<Connector>> bySystem = new TreeMap<>();

    /** Registers {@code connector}, replacing the one of the same system and kind (its route was created again). */
    public synchronized void register(Connector connector) {
        List<Connector> connectors = bySystem.computeIfAbsent(connector.system(), s -> new ArrayList<>());
        connectors.removeIf(registered -> registered.getClass() == connector.getClass());
        connectors.add(connector);
    }

    /** The connectors of {@code system}, or of every system when it is null or empty, by system name. */
    public synchronized List<Connector> of(String system) {
        if (system == null || system.isEmpty()) {
            return bySystem.values().stream().flatMap(List::stream).toList();
        }
        List<Connector> connectors = bySystem.get(system);
        if (connectors == null) {
            throw new IllegalArgumentException("no source or sync target named " + system + "; declared: "
                    + String.join(", ", systems()));
        }
        return List.copyOf(connectors);
    }

    public synchronized Set<String> systems() {
        return new TreeSet<>(bySystem.keySet());
    }
}
