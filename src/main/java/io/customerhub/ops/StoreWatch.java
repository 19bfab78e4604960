package io.customerhub.ops;

import io.customerhub.store.StoreHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.RouteController;

/**
 * The store's readiness ({@code store} in {@code /observe/health}) and what the hub does while the store is
 * unavailable: the routes that write to it (every source's {@code -ingest} and {@code -sync} route, the merge
 * sweep and the change purge) are suspended, so no file is failed and no poll spent for a store that cannot take it; the store is probed
 * every check interval, and once it takes a write again the routes it suspended resume where they stopped (a route an operator paused stays
 * paused). A store that fails
 * again within a minute of resuming (a disk with room for the probe but not for a batch) waits twice as long before
 * the next probe, up to {@value #MAX_HOLD_OFF_MINUTES} minutes, so that it does not flap. A file being read when the
 * store failed stays in its inbox and is read again. Webhook routes keep answering: 503 with {@code Retry-After}
 * while the store is down.
 */
public final class StoreWatch extends AbstractHealthCheck {

    static final int MAX_HOLD_OFF_MINUTES = 5;
    private static final Duration RELAPSE = Duration.ofMinutes(1);

    private final StoreHealth health;
    private final Duration interval;
    private final Clock clock;
    private boolean wasDown;
    private Instant recoveredAt = Instant.MIN;
    private int relapses;
    private Instant nextProbe = Instant.MIN;
    /** The routes this watch suspended: the only ones it resumes (an operator's pause stays). */
    private final Set<String> suspended = new HashSet<>();

    public StoreWatch(StoreHealth health, Duration interval, Clock clock) {
        super("hub", "store");
        this.health = health;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Probes a store that failed when its hold-off has passed, and suspends or resumes the routes that write to it
     * by what the store is now. Called every check interval ({@code hub.store.check-interval}).
     */
    public synchronized void check() throws Exception {
        Instant now = clock.instant();
        if (health.fault() != null && !wasDown) {
            relapses = now.isBefore(recoveredAt.plus(RELAPSE)) ? relapses + 1 : 0;
            nextProbe = now.plus(holdOff());
        }
        if (health.fault() != null && !now.isBefore(nextProbe)) {
            health.probe();
            nextProbe = now.plus(holdOff());
        }
        boolean down = health.fault() != null;
        if (wasDown && !down) {
            recoveredAt = now;
        }
        wasDown = down;
        CamelContext context = getCamelContext();
        RouteController routes = context.getRouteController();
        for (Route route : context.getRoutes()) {
            String id = route.getRouteId();
            if (!(id.endsWith(SourceRoutes.INGEST) || id.endsWith(SourceRoutes.SYNC) || id.equals("merge-sweep")
                    || id.equals("change-purge"))) {
                continue;
            }
            ServiceStatus status = routes.getRouteStatus(id);
            if (down && status == ServiceStatus.Started) {
                routes.suspendRoute(id);
                suspended.add(id);
            } else if (!down && suspended.remove(id) && status == ServiceStatus.Suspended) {
                routes.resumeRoute(id);
            }
        }
    }

    private Duration holdOff() {
        Duration holdOff = interval.multipliedBy(1L << Math.min(relapses, 20));
        return holdOff.compareTo(Duration.ofMinutes(MAX_HOLD_OFF_MINUTES)) > 0 ? Duration.ofMinutes(MAX_HOLD_OFF_MINUTES) : holdOff;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String fault = health.fault();
        if (fault == null) {
            builder.up();
        } else {
            builder.message("the store is unavailable; intake is paused until it is back: " + fault).down();
        }
    }
}
