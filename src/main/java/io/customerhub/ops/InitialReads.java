package io.customerhub.ops;

import io.customerhub.store.Watermarks;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a sync target's own source has been read completely once, so that the hub may write to it:
 * before that, the customers the target already holds are not yet matched to golden records, and a
 * write would create them there a second time (a first load over systems that already share customers).
 *
 * <p>A source is read completely once
 * <ul>
 *   <li>a polled source ({@code jdbc-source}, {@code http-source}): its first poll has caught up;</li>
 *   <li>a file source: it has stored at least one file and no file is waiting or being read;</li>
 *   <li>a webhook source, or a target without a source route: at once (nothing to read first).</li>
 * </ul>
 * The first complete read is kept in the store ({@code source_read}): it is needed once, not after each restart.
 */
public final class InitialReads extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InitialReads.class);

    private final CamelContext context;
    private final Watermarks watermarks;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Set<String> storedFile = ConcurrentHashMap.newKeySet();
    private final Set<String> waitingReported = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    public InitialReads(CamelContext context, Watermarks watermarks) {
        this.context = context;
        this.watermarks = watermarks;
    }

    /** Whether {@code source} has been read completely at least once: its target may then be written to. */
    public boolean isRead(String source) {
        if (!loaded) {
            read.addAll(watermarks.read());
            loaded = true;
        }
        if (read.contains(source)) {
            return true;
        }
        if (readNow(source)) {
            watermarks.markRead(source);
            read.add(source);
            LOG.info("{}: read completely once; the hub now writes golden-record changes to it", source);
            return true;
        }
        if (waitingReported.add(source)) {
            LOG.info("{}: no writes to it until it has been read completely once, so that the customers it holds"
                    + " are matched rather than created there again", source);
        }
        return false;
    }

    private boolean readNow(String source) {
        Route ingest = context.getRoute(source + SourceRoutes.INGEST);
        if (ingest == null) {
            return true;
        }
        Endpoint endpoint = ingest.getEndpoint();
        if (endpoint instanceof FileEndpoint file) {
            return storedFile.contains(source) && DrainWatcher.waitingIn(file) == 0
                    && context.getInflightRepository().size(ingest.getRouteId()) == 0;
        }
        if (endpoint instanceof TimerEndpoint) {
            PolledSources polled = context.getRegistry().lookupByNameAndType("polledSources", PolledSources.class);
            return polled != null && polled.caughtUp(source);
        }
        return true;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeEvent) event).getExchange();
        String route = exchange.getFromRouteId();
        if (route != null && route.endsWith(SourceRoutes.INGEST) && exchange.getFromEndpoint() instanceof FileEndpoint) {
            storedFile.add(route.substring(0, route.length() - SourceRoutes.INGEST.length()));
        }
    }
}
