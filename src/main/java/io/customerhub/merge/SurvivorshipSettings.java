package io.customerhub.merge;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The survivorship configuration ({@code hub.merge.*}): one rule per {@link FieldGroup}, and the
 * order of sources that {@link SurvivorshipRule#SOURCE_PRIORITY} follows. Every rule breaks its
 * ties by recency, so a golden value is always determined.
 */
public record SurvivorshipSettings(Map<FieldGroup, SurvivorshipRule> rules, List<String> sourcePriority,
                                   Map<FieldGroup, Owner> owners, SurvivorshipSettings organizations) {

    private static final String ORGANIZATION = "organization.";

    /** The source that owns a field group, and what happens when another source disagrees with it. */
    public record Owner(String source, ConflictRule rule) {
    }

    public SurvivorshipSettings(Map<FieldGroup, SurvivorshipRule> rules, List<String> sourcePriority) {
        this(rules, sourcePriority, Map.of(), null);
    }

    public SurvivorshipSettings {
        owners = owners.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(owners));
        EnumMap<FieldGroup, SurvivorshipRule> complete = new EnumMap<>(FieldGroup.class);
        for (FieldGroup group : FieldGroup.values()) {
            complete.put(group, rules.getOrDefault(group, SurvivorshipRule.MOST_RECENT));
        }
        rules = Collections.unmodifiableMap(complete);
        sourcePriority = List.copyOf(sourcePriority);
    }

    /** Most recent for every group: what a hub without survivorship settings does. */
    public static SurvivorshipSettings defaults() {
        return new SurvivorshipSettings(Map.of(), List.of());
    }

    /**
     * Settings from configuration keys without their {@code hub.merge.} prefix: {@code source-priority}
     * (sources, comma separated, highest first), {@code survivorship.default} and
     * {@code survivorship.<group>} ({@code survivorship.address = source-priority}). An unknown key,
     * group or rule fails with the key named. The same keys under {@code organization.} set those of organizations'
     * golden records ({@code organization.owner.name = erp}: the ERP holds the registered legal name), the others
     * being the people's.
     */
    public static SurvivorshipSettings from(Map<String, String> settings) {
        Map<String, String> people = new TreeMap<>();
        Map<String, String> organizations = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(ORGANIZATION)) {
                organizations.put(key.substring(ORGANIZATION.length()), value);
            } else {
                people.put(key, value);
            }
        });
        SurvivorshipSettings forPeople = from(people, "hub.merge.");
        if (organizations.isEmpty()) {
            return forPeople;
        }
        Map<String, String> both = new TreeMap<>(people);
        both.putAll(organizations);
        return new SurvivorshipSettings(forPeople.rules(), forPeople.sourcePriority(), forPeople.owners(),
                from(both, "hub.merge." + ORGANIZATION));
    }

    private static SurvivorshipSettings from(Map<String, String> settings, String prefix) {
        SurvivorshipRule fallback = SurvivorshipRule.MOST_RECENT;
        Map<FieldGroup, SurvivorshipRule> rules = new EnumMap<>(FieldGroup.class);
        Map<FieldGroup, String> ownerSources = new EnumMap<>(FieldGroup.class);
        Map<FieldGroup, ConflictRule> conflictRules = new EnumMap<>(FieldGroup.class);
        List<String> priority = List.of();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            String key = entry.getKey();
            try {
                if (key.equals("source-priority")) {
                    priority = Arrays.stream(entry.getValue().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                } else if (key.equals("survivorship.default")) {
                    fallback = SurvivorshipRule.of(entry.getValue());
                } else if (key.startsWith("owner.")) {
                    if (entry.getValue().isBlank()) {
                        continue;
                    }
                    ownerSources.put(FieldGroup.of(key.substring("owner.".length())), entry.getValue().trim());
                } else if (key.startsWith("conflict.")) {
                    conflictRules.put(FieldGroup.of(key.substring("conflict.".length())), ConflictRule.of(entry.getValue()));
                } else if (key.startsWith("survivorship.")) {
                    rules.put(FieldGroup.of(key.substring("survivorship.".length())), SurvivorshipRule.of(entry.getValue()));
                } else {
                    throw new IllegalArgumentException("expected source-priority, survivorship.default, survivorship.<group>, owner.<group> or conflict.<group>");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting '" + prefix + key + "': " + e.getMessage(), e);
            }
        }
        for (FieldGroup group : FieldGroup.values()) {
            rules.putIfAbsent(group, fallback);
        }
        for (FieldGroup group : conflictRules.keySet()) {
            if (!ownerSources.containsKey(group)) {
                throw new IllegalArgumentException("setting '" + prefix + "conflict." + group.key() + "': the group has no owner (" + prefix + "owner."
                        + group.key() + ")");
            }
        }
        Map<FieldGroup, Owner> owners = new EnumMap<>(FieldGroup.class);
        ownerSources.forEach((group, source) -> owners.put(group,
                new Owner(source, conflictRules.getOrDefault(group, ConflictRule.OWNER_WINS))));
        return new SurvivorshipSettings(rules, priority, owners, null);
    }

    /** The owner of {@code group}, or null when none is declared. */
    public Owner owner(FieldGroup group) {
        return owners.get(group);
    }

    public SurvivorshipRule rule(FieldGroup group) {
        return rules.get(group);
    }
}
