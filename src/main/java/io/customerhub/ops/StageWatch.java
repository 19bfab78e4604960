package io.customerhub.ops;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that has stopped moving ({@code stages} in {@code /observe/health}, readiness): a route with an exchange in
 * flight for longer than {@code hub.stages.stuck-after} during which none of its exchanges finished a step (a batch
 * sent to a stage, a file or poll done) is stuck: a source query waiting on a lock, a lookup or target that never
 * answers, a record that takes the matcher forever. A long file or first read is not: its batches keep moving. Every
 * check interval ({@code stage-watch} route) a route that became stuck is logged once, and again once it moves.
 */
public final class StageWatch extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StageWatch.class);

    private final long stuckAfterMillis;
    /** Per route, when one of its exchanges last finished a step (epoch milliseconds). */
    private final Map<String, Long> lastStep = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final EventNotifier steps = new EventNotifierSupport() {
        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeCompletedEvent
                    || event instanceof CamelEvent.ExchangeFailedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Exchange exchange = ((ExchangeEvent) event).getExchange();
            if (exchange.getFromRouteId() != null) {
                lastStep.put(exchange.getFromRouteId(), System.currentTimeMillis());
            }
        }
    };

    public StageWatch(long stuckAfterMillis) {
        super("hub", "stages");
        this.stuckAfterMillis = stuckAfterMillis;
    }

    /** The event notifier that records the steps; the hub adds it to the context's management strategy. */
    public EventNotifier steps() {
        return steps;
    }

    /** The stuck routes: route id to what it waits in and for how long. */
    public Map<String, String> stuck() {
        long now = System.currentTimeMillis();
        Map<String, Long> idle = new TreeMap<>();
        Map<String, String> at = new TreeMap<>();
        for (InflightRepository.InflightExchange inflight : getCamelContext().getInflightRepository().browse()) {
            String route = inflight.getFromRouteId();
            if (route == null || inflight.getDuration() < stuckAfterMillis) {
                continue;
            }
            long since = Math.min(inflight.getDuration(), now - lastStep.getOrDefault(route, 0L));
            if (since >= stuckAfterMillis && since > idle.getOrDefault(route, -1L)) {
                idle.put(route, since);
                at.put(route, inflight.getAtRouteId());
            }
        }
        Map<String, String> stuck = new TreeMap<>();
        idle.forEach((route, millis) -> stuck.put(route, "no step finished for " + millis / 1000 + " s"
                + (at.get(route) == null || at.get(route).equals(route) ? "" : ", waiting in " + at.get(route))));
        return stuck;
    }

    /** Logs each route that became stuck, and each stuck route that moved again, once. Called every check interval. */
    public void check() {
        Map<String, String> stuck = stuck();
        stuck.forEach((route, why) -> {
            if (reported.add(route)) {
                LOG.warn("{}: stuck: {} (readiness reports it until it moves)", route, why);
            }
        });
        reported.removeIf(route -> {
            if (stuck.containsKey(route)) {
                return false;
            }
            LOG.info("{}: moving again", route);
            return true;
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> stuck = stuck();
        if (stuck.isEmpty()) {
            builder.up();
            return;
        }
        stuck.forEach(builder::detail);
        builder.message("stuck: " + String.join("; ", stuck.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + entry.getValue() + ")").toList())).down();
    }
}
