package io.customerhub.sync;

import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import io.customerhub.store.SyncOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One sync cycle of one target, for the shared {@code sync-target} stage: takes the due changes
 * from the change log batch by batch (each customer's newest state), hands them to the
 * target's writer and records what became of each. A target that cannot be reached fails its
 * batch, which is retried with back-off; other targets are not affected. Metrics per target:
 * {@code hub_sync_writes_total{target, outcome}} (written, failed) and the gauges
 * {@code hub_sync_backlog{target, status}} (pending, failed, dead) and {@code hub_sync_lag_seconds{target}}
 * (the age of the oldest undelivered change).
 */
public final class SyncDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SyncDelivery.class);
    /** Batches per cycle, so one busy target cannot hold its timer thread for long. */
    private static final int ROUNDS = 20;

    private final SyncOutbox outbox;
    private final Predicate<String> reconciled;
    private final Clock clock;
    private final Supplier<Optional<MeterRegistry>> meters;
    private final Map<String, Meters> byTarget = new ConcurrentHashMap<>();
    private final Map<String, Counted> backlogs = new ConcurrentHashMap<>();

    private record Meters(Counter written, Counter failed) {
    }

    /**
     * @param reconciled whether a target may be written to: its own source has been read completely once, so
     *                   that the customers it holds are matched to golden records before any is created there
     */
    public SyncDelivery(SyncOutbox outbox, Predicate<String> reconciled, Clock clock, Supplier<Optional<MeterRegistry>> meters) {
        this.outbox = outbox;
        this.reconciled = reconciled;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Delivers what is due for {@code target} through {@code writer}, {@code batchSize} changes at a time; returns the
     * number of records written. Nothing is delivered before the target's own source has been read completely once.
     */
    public int deliver(SyncWriter writer, String target, int batchSize) {
        Optional<Meters> counters = meters(target);
        if (!reconciled.test(target)) {
            return 0;
        }
        int written = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<OutboundChange> due = outbox.due(target, writer.fields(), batchSize, writer.create() != CreatePolicy.NEVER);
            if (due.isEmpty()) {
                break;
            }
            List<WriteOutcome> outcomes;
            try {
                outcomes = writer.write(due);
            } catch (InterruptedException e) {
                // stopping: nothing of this batch is recorded, it is delivered again, by this hub after a restart or another;
                // released before the interrupt is restored, which would make the store's file channel close
                try {
                    outbox.release(target, due);
                } finally {
                    Thread.currentThread().interrupt();
                }
                break;
            } catch (Exception e) {
                String reason = reason(e);
                LOG.warn("{}: cannot write {} change(s), retried with back-off: {}", target, due.size(), reason);
                outbox.unreachable(target, due, reason);
                counters.ifPresent(m -> m.failed().increment(due.size()));
                break;
            }
            outbox.delivered(target, writer.fields(), due, outcomes, writer.appliesWrites());
            long failed = outcomes.stream().filter(outcome -> !outcome.written()).count();
            written += due.size() - (int) failed;
            counters.ifPresent(m -> {
                m.written().increment(due.size() - failed);
                m.failed().increment(failed);
            });
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < due.size(); i++) {
                WriteOutcome outcome = outcomes.get(i);
                if (outcome.final_()) {
                    refused.add(i);
                } else if (!outcome.written()) {
                    LOG.warn("{}: change {} of golden record {} (key {}) not written, retried with back-off: {}", target,
                            due.get(i).changeSeq(), due.get(i).customerId(), due.get(i).targetKey(), outcome.error());
                }
            }
            if (!refused.isEmpty()) {
                // one line per batch: the same reason is usually every change's (a key column too short, say)
                OutboundChange first = due.get(refused.get(0));
                LOG.warn("{}: {} change(s) refused for good, not retried (status DEAD; sync_outbox.last_error has each reason),"
                        + " e.g. change {} of golden record {}: {}", target, refused.size(), first.changeSeq(), first.customerId(),
                        outcomes.get(refused.get(0)).error());
            }
        }
        return written;
    }

    private Optional<Meters> meters(String target) {
        return meters.get().map(registry -> byTarget.computeIfAbsent(target, name -> {
            for (String status : List.of("pending", "failed", "dead")) {
                Gauge.builder("hub.sync.backlog", this, d -> count(d.backlog(name), status))
                        .description("Changes not yet delivered to a target, by status")
                        .tags("target", name, "status", status)
                        .register(registry);
            }
            Gauge.builder("hub.sync.lag.seconds", this, d -> d.lag(d.backlog(name).oldestUnsent()))
                    .description("Age of the oldest change not yet delivered to a target (0 when none)")
                    .tags("target", name)
                    .register(registry);
            return new Meters(
                    Counter.builder("hub.sync.writes").description("Records written to a target, by outcome")
                            .tags("target", name, "outcome", "written").register(registry),
                    Counter.builder("hub.sync.writes").description("Records written to a target, by outcome")
                            .tags("target", name, "outcome", "failed").register(registry));
        }));
    }

    /** The backlog of {@code target}, asked of the store at most once a second: one scrape reads four gauges. */
    private SyncOutbox.Backlog backlog(String target) {
        Instant now = clock.instant();
        Counted counted = backlogs.get(target);
        if (counted == null || counted.at().isBefore(now.minusSeconds(1))) {
            counted = new Counted(now, outbox.backlog(target));
            backlogs.put(target, counted);
        }
        return counted.backlog();
    }

    private record Counted(Instant at, SyncOutbox.Backlog backlog) {
    }

    private static double count(SyncOutbox.Backlog backlog, String status) {
        return switch (status) {
            case "pending" -> backlog.pending();
            case "failed" -> backlog.failed();
            default -> backlog.dead();
        };
    }

    private double lag(Instant oldest) {
        return oldest == null ? 0 : Duration.between(oldest, clock.instant()).toMillis() / 1000.0;
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
