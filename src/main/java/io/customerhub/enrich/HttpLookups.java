package io.customerhub.enrich;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The lookups declared under {@code routes/} (each registers itself when its route is created),
 * for the enrich stage's routing slip: each lookup's route in turn, in name order; none declared,
 * an empty slip and the stage leaves the batch as it is.
 */
public final class HttpLookups {

    private final Map<String, HttpLookup> lookups = new TreeMap<>();

    synchronized void register(HttpLookup lookup) {
        lookups.put(lookup.getName(), lookup);
    }

    /** The endpoints of the declared lookups, comma separated: {@code direct:<name>-lookup}, ... */
    public synchronized String slip() {
        return lookups.keySet().stream().map(name -> "direct:" + name + "-lookup").collect(Collectors.joining(","));
    }
}
