package io.customerhub.merge;

import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a golden record from its source records: per {@link FieldGroup}, the configured
 * {@link SurvivorshipRule} picks one record among those that know the group, and the group's values
 * come from that record with their {@link Lineage}. Records that say nothing about a group (all its
 * parts missing, an unknown gender) never win it, so a sparse record cannot blank a known value.
 */
public final class Survivorship {

    private final SurvivorshipSettings settings;
    /** The golden records of organizations, where their settings differ from the people's; else null. */
    private final Survivorship organizations;

    /** Survivorship by {@code settings}, for organizations by {@link SurvivorshipSettings#organizations()} where set. */
    public Survivorship(SurvivorshipSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.organizations = settings.organizations() == null ? null : new Survivorship(settings.organizations());
    }

    /** The golden record of new source records {@code records} (in a fixed order, which breaks ties). */
    public GoldenRecord survive(List<SourceSnapshot> records) {
        return survive(records, Map.of(), null);
    }

    /**
     * The golden record of {@code records}, the source records of one customer in a fixed order (which
     * breaks ties). Per group, the records are ranked newest first by {@link SourceSnapshot#at(FieldGroup)}
     * and the group's rule picks among those that know the group.
     *
     * <p>For a golden record that exists, {@code current} is its lineage and {@code held} its values
     * before this recompute:
     * <ul>
     *   <li>a group with an owner ({@code hub.merge.owner.<group>}) whose owner's value differs from the
     *       value its rule picks is a {@link Conflict}, settled by the group's conflict rule; under
     *       {@link ConflictRule#HOLD} the group keeps the record it has; when the owner's value stands,
     *       every other source's edit of the group since the last recompute that it overrides is one too;</li>
     *   <li>a group without an owner that a source edited without knowing the golden record's value (the
     *       edit's base is not that value), or that two sources edited to different values since the last
     *       recompute, is a {@link Conflict} between the golden record's value and each such edit, settled
     *       by the group's survivorship rule: {@code TAKEN} when the edit's value is now the golden one,
     *       else {@code KEPT}.</li>
     * </ul>
     */
    public GoldenRecord survive(List<SourceSnapshot> records, Map<FieldGroup, Lineage> current, CustomerRecord held) {
        if (organizations != null && !records.isEmpty() && records.get(0).values().isOrganization()) {
            return organizations.survive(records, current, held);
        }
        Map<FieldGroup, Lineage> lineage = new EnumMap<>(FieldGroup.class);
        Map<FieldGroup, CustomerRecord> winners = new EnumMap<>(FieldGroup.class);
        List<Conflict> conflicts = new ArrayList<>();
        for (FieldGroup group : FieldGroup.values()) {
            List<SourceSnapshot> newestFirst = newestFirst(group, records);
            SurvivorshipRule rule = settings.rule(group);
            SourceSnapshot winner = pick(group, rule, newestFirst);
            SurvivorshipSettings.Owner owner = settings.owner(group);
            SourceSnapshot owned = owner == null || winner == null ? null : newestOf(group, owner.source(), newestFirst);
            if (owned != null && !group.values(owned.values()).equals(group.values(winner.values()))) {
                SourceSnapshot other = winner.values().source().equals(owner.source()) ? newestOther(group, owner.source(), newestFirst)
                        : winner;
                String outcome;
                switch (owner.rule()) {
                    case OWNER_WINS -> {
                        winner = owned;
                        outcome = "OWNER_KEPT";
                    }
                    case NEWEST_WINS -> {
                        winner = other.at(group).isAfter(owned.at(group)) ? other : owned;
                        outcome = winner == other ? "NEWEST_TAKEN" : "OWNER_NEWER";
                    }
                    default -> {
                        winner = held(group, current.get(group), newestFirst, owned, held);
                        outcome = "HELD";
                    }
                }
                if (other != null && !group.values(other.values()).equals(group.values(owned.values()))) {
                    conflicts.add(ownerConflict(group, owner, owned, other, outcome));
                }
            } else if (owned != null && held != null) {
                // the owner's value stands: any other system's edit of the group since the last recompute lost to it
                for (SourceSnapshot edit : fresh(group, newestFirst, current.get(group), held)) {
                    if (!edit.values().source().equals(owner.source())
                            && !group.values(edit.values()).equals(group.values(owned.values()))) {
                        conflicts.add(ownerConflict(group, owner, owned, edit, "OWNER_KEPT"));
                    }
                }
            } else if (owner == null && held != null && winner != null) {
                conflicts.addAll(concurrentEdits(group, rule, newestFirst, current.get(group), held, winner));
            }
            if (winner != null) {
                winners.put(group, winner.values());
                lineage.put(group, new Lineage(winner.values().source(), winner.values().sourceKey(), winner.at(group), rule));
            }
        }
        CustomerRecord name = winners.get(FieldGroup.NAME);
        CustomerRecord gender = winners.get(FieldGroup.GENDER);
        CustomerRecord address = winners.get(FieldGroup.ADDRESS);
        CustomerRecord values = new CustomerRecord(null, null, null,
                name == null ? null : name.fullName(),
                name == null ? null : name.givenName(),
                name == null ? null : name.familyName(),
                gender == null ? Gender.U : gender.gender(),
                value(winners, FieldGroup.BIRTH_DATE, CustomerRecord::birthDate),
                value(winners, FieldGroup.EMAIL, CustomerRecord::email),
                value(winners, FieldGroup.PHONE, CustomerRecord::phone),
                null,
                address == null ? PostalAddress.EMPTY : address.address(),
                value(winners, FieldGroup.COMPANY, CustomerRecord::company),
                value(winners, FieldGroup.NATIONAL_ID, CustomerRecord::nationalId),
                // the record whose name the golden record carries says what it names
                name == null ? null : name.type());
        return new GoldenRecord(values, lineage, conflicts);
    }

    /** {@code records} newest first by {@link SourceSnapshot#at(FieldGroup)}; equal times keep their order. */
    private static List<SourceSnapshot> newestFirst(FieldGroup group, List<SourceSnapshot> records) {
        List<SourceSnapshot> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing((SourceSnapshot s) -> s.at(group)).reversed());
        return sorted;
    }

    private static Conflict ownerConflict(FieldGroup group, SurvivorshipSettings.Owner owner, SourceSnapshot owned,
                                          SourceSnapshot other, String outcome) {
        return new Conflict(group, owner.source(), owned.values().sourceKey(), group.values(owned.values()),
                other.values().source(), other.values().sourceKey(), group.values(other.values()), other.at(group),
                owner.rule().key(), outcome);
    }

    /**
     * The records that edited {@code group} since the golden record last took a value for it ({@code since}),
     * to another value than the one it held ({@code held}); echoes of the hub's writes are no edits.
     */
    private static List<SourceSnapshot> fresh(FieldGroup group, List<SourceSnapshot> newestFirst, Lineage since,
                                              CustomerRecord held) {
        List<Object> before = group.values(held);
        return newestFirst.stream().filter(s -> {
            SourceSnapshot.Edit edit = s.edits().get(group);
            return edit != null && !edit.isEcho() && (since == null || edit.at().isAfter(since.at()))
                    && group.known(s.values()) > 0 && !group.values(s.values()).equals(before);
        }).toList();
    }

    /**
     * The edits of {@code group} since the golden record last took a value for it ({@code since}) that
     * conflict with it: made on another base than its value {@code held}, or disagreeing with another such edit.
     */
    private static List<Conflict> concurrentEdits(FieldGroup group, SurvivorshipRule rule, List<SourceSnapshot> newestFirst,
                                                  Lineage since, CustomerRecord held, SourceSnapshot winner) {
        List<Object> before = group.values(held);
        List<SourceSnapshot> fresh = fresh(group, newestFirst, since, held);
        List<Conflict> conflicts = new ArrayList<>();
        for (SourceSnapshot edit : fresh) {
            List<Object> value = group.values(edit.values());
            boolean concurrent = !edit.edits().get(group).base().equals(group.hash(held))
                    || fresh.stream().anyMatch(other -> !group.values(other.values()).equals(value));
            if (concurrent) {
                conflicts.add(new Conflict(group, since == null ? "hub" : since.source(), since == null ? "" : since.sourceKey(),
                        before, edit.values().source(), edit.values().sourceKey(), value, edit.at(group), rule.key(),
                        value.equals(group.values(winner.values())) ? "TAKEN" : "KEPT"));
            }
        }
        return conflicts;
    }

    /** The newest record of {@code source} that knows {@code group}, or null. */
    private static SourceSnapshot newestOf(FieldGroup group, String source, List<SourceSnapshot> newestFirst) {
        return newestFirst.stream().filter(s -> s.values().source().equals(source) && group.known(s.values()) > 0)
                .findFirst().orElse(null);
    }

    /** The newest record of another source than {@code owner} that knows {@code group}, or null. */
    private static SourceSnapshot newestOther(FieldGroup group, String owner, List<SourceSnapshot> newestFirst) {
        return newestFirst.stream().filter(s -> !s.values().source().equals(owner) && group.known(s.values()) > 0)
                .findFirst().orElse(null);
    }

    /**
     * The record that keeps the group's value under {@link ConflictRule#HOLD}: the one that supplies it now
     * ({@code current}), unless that record changed the group since it was chosen; then one that still holds
     * the golden record's value ({@code golden}), the owner's first; else the owner's.
     */
    private static SourceSnapshot held(FieldGroup group, Lineage current, List<SourceSnapshot> newestFirst, SourceSnapshot owned,
                                       CustomerRecord golden) {
        SourceSnapshot supplier = current == null ? null : newestFirst.stream().filter(s -> s.values().source().equals(current.source())
                && s.values().sourceKey().equals(current.sourceKey())).findFirst().orElse(null);
        if (supplier != null && (golden == null || !supplier.at(group).isAfter(current.at()))) {
            return supplier;
        }
        if (golden != null) {
            List<Object> value = group.values(golden);
            if (group.values(owned.values()).equals(value)) {
                return owned;
            }
            for (SourceSnapshot record : newestFirst) {
                if (group.values(record.values()).equals(value)) {
                    return record;
                }
            }
        }
        return owned;
    }

    private SourceSnapshot pick(FieldGroup group, SurvivorshipRule rule, List<SourceSnapshot> newestFirst) {
        SourceSnapshot best = null;
        long bestRank = Long.MIN_VALUE;
        Map<List<Object>, Integer> frequency = rule == SurvivorshipRule.MOST_FREQUENT ? frequencies(group, newestFirst) : null;
        for (SourceSnapshot candidate : newestFirst) {
            int known = group.known(candidate.values());
            if (known == 0) {
                continue;
            }
            long rank = switch (rule) {
                case MOST_RECENT -> 0;
                case SOURCE_PRIORITY -> -priority(candidate.values().source());
                case MOST_COMPLETE -> (long) known << 32 | length(group, candidate.values());
                case MOST_FREQUENT -> frequency.get(group.values(candidate.values()));
            };
            // strictly greater: among equals the newest, seen first, stays
            if (best == null || rank > bestRank) {
                best = candidate;
                bestRank = rank;
            }
        }
        return best;
    }

    private int priority(String source) {
        int index = settings.sourcePriority().indexOf(source);
        return index < 0 ? settings.sourcePriority().size() : index;
    }

    private static int length(FieldGroup group, CustomerRecord record) {
        return group.values(record).stream().filter(Objects::nonNull).mapToInt(value -> value.toString().length()).sum();
    }

    private static Map<List<Object>, Integer> frequencies(FieldGroup group, List<SourceSnapshot> records) {
        Map<List<Object>, Integer> counts = new HashMap<>();
        for (SourceSnapshot record : records) {
            if (group.known(record.values()) > 0) {
                counts.merge(group.values(record.values()), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static <T> T value(Map<FieldGroup, CustomerRecord> winners, FieldGroup group,
                               Function<CustomerRecord, T> field) {
        CustomerRecord winner = winners.get(group);
        return winner == null ? null : field.apply(winner);
    }
}
