package io.customerhub.ops;

import io.customerhub.ingest.PolledBatch;
import io.customerhub.ingest.PolledSource;
import io.customerhub.store.Watermarks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The state of every polled source, for the shared {@code poll-source} stage: when a source that
 * failed may be polled again (exponential back-off, so an unreachable system costs one attempt per
 * back-off step and nothing else), whether each has caught up (for {@code --once}) and why one is
 * down (for operators, also as the gauges {@code hub_source_consecutive_failures{source}} and
 * {@code hub_source_seconds_since_caught_up{source}}). A failing source never holds up another:
 * each has its own timer route.
 */
public final class PolledSources {

    private static final Logger LOG = LoggerFactory.getLogger(PolledSources.class);

    private final Watermarks watermarks;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Clock clock;
    private final Supplier<Optional<MeterRegistry>> meters;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** What is known of one source; replaced, never mutated. */
    private record State(int failures, Instant nextAttempt, String error, Instant downSince,
                         Instant runStarted, Instant caughtUp) {
        static final State NEW = new State(0, Instant.MIN, null, null, null, null);
    }

    /**
     * @param meters where to register a source's gauges when it is first polled (empty without metrics)
     */
    public PolledSources(Watermarks watermarks, Duration firstRetry, Duration maxRetry, Clock clock,
                         Supplier<Optional<MeterRegistry>> meters) {
        this.watermarks = watermarks;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * The batches of one poll of {@code source}, from its stored watermark; none while the source
     * backs off after a failure.
     */
    public Iterator<PolledBatch> poll(PolledSource reader, String source) {
        State state = states.get(source);
        if (state == null) {
            state = State.NEW;
            registerGauges(source);
        }
        Instant now = clock.instant();
        if (now.isBefore(state.nextAttempt())) {
            return Collections.emptyIterator();
        }
        states.put(source, new State(state.failures(), state.nextAttempt(), state.error(), state.downSince(), now, state.caughtUp()));
        return reader.batches(watermarks.read(source));
    }

    /** A poll read everything there was: the source is up and has caught up. */
    public void succeeded(String source) {
        State state = states.getOrDefault(source, State.NEW);
        if (state.runStarted() == null) {
            return; // this tick was skipped by the back-off
        }
        if (state.failures() > 0) {
            LOG.info("{}: reachable again after {} failed poll(s) in {} s", source, state.failures(),
                    Duration.between(state.downSince(), clock.instant()).toSeconds());
        }
        states.put(source, new State(0, Instant.MIN, null, null, null, state.runStarted()));
    }

    /** A poll failed: the source backs off (doubling, up to the maximum) and is polled again from its watermark. */
    public void failed(String source, Exception cause) {
        State state = states.getOrDefault(source, State.NEW);
        Instant now = clock.instant();
        int failures = state.failures() + 1;
        long delay = Math.min(maxRetry.toMillis(), firstRetry.toMillis() << Math.min(failures - 1, 20));
        String error = reason(cause);
        LOG.warn("{}: poll failed ({} in a row), polled again in {} ms from the last committed watermark: {}",
                source, failures, delay, error);
        states.put(source, new State(failures, now.plusMillis(delay), error,
                state.downSince() == null ? now : state.downSince(), null, state.caughtUp()));
    }

    private void registerGauges(String source) {
        meters.get().ifPresent(registry -> {
            Gauge.builder("hub.source.consecutive.failures", this,
                            sources -> sources.states.getOrDefault(source, State.NEW).failures())
                    .description("Polls of a source that failed in a row; 0 while it is reachable")
                    .tags("source", source)
                    .register(registry);
            Gauge.builder("hub.source.seconds.since.caught.up", this, sources -> sources.secondsSinceCaughtUp(source))
                    .description("Seconds since a poll of the source last read everything it had (NaN before the first)")
                    .tags("source", source)
                    .register(registry);
        });
    }

    private double secondsSinceCaughtUp(String source) {
        Instant caughtUp = states.getOrDefault(source, State.NEW).caughtUp();
        return caughtUp == null ? Double.NaN : Duration.between(caughtUp, clock.instant()).toMillis() / 1000.0;
    }

    /** The innermost cause's message: "Connection refused", not the bean invocation wrapped around it. */
    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == null) {
            return "unknown error";
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** True when {@code source} has completed a poll since the daemon started: it has read all it had then. */
    public boolean caughtUp(String source) {
        return states.getOrDefault(source, State.NEW).caughtUp() != null;
    }

    /** The sources whose last poll failed, with the error. */
    public Map<String, String> down() {
        Map<String, String> down = new TreeMap<>();
        states.forEach((source, state) -> {
            if (state.failures() > 0) {
                down.put(source, state.error());
            }
        });
        return down;
    }
}
