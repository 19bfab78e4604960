package io.customerhub;

import io.customerhub.store.CustomerStore;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.AggregationRepository;
import org.apache.camel.support.DefaultExchange;

/**
 * The merge stage's aggregation repository, persistent through the store: a group (one golden id) is
 * open while {@code golden_pending} has rows for it, which the store writes in the same transaction as
 * the source records that joined or changed the golden record and deletes in the transaction that
 * recomputes it. The groups are therefore exactly as durable as the records, with no second write
 * outside that transaction, which Camel's {@code JdbcAggregationRepository} would add (and with it a
 * window in which a crash loses the group). The exchanges of the open groups, whose body is only the
 * golden id, are kept in memory; after a restart {@link #getKeys()} hands the golden records still
 * pending back to the aggregator, which restores their completion timeout and completes them.
 */
public final class PendingMergeRepository implements AggregationRepository {

    private final CustomerStore store;
    private final long completionTimeout;
    private final Map<String, Exchange> open = new ConcurrentHashMap<>();
    /** Golden records found pending when the aggregator started: the groups a crash interrupted. */
    private final Set<String> recovered = ConcurrentHashMap.newKeySet();
    private volatile boolean started;

    public PendingMergeRepository(CustomerStore store, long completionTimeout) {
        this.store = store;
        this.completionTimeout = completionTimeout;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        recovered.remove(key);
        return open.put(key, exchange);
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        Exchange exchange = open.get(key);
        if (exchange == null && recovered.contains(key)) {
            exchange = new DefaultExchange(camelContext);
            exchange.getMessage().setBody(key);
            exchange.setProperty(ExchangePropertyKey.AGGREGATED_TIMEOUT, completionTimeout);
        }
        return exchange;
    }

    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) {
        open.remove(key);
        recovered.remove(key);
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        // the merge's own transaction deletes the pending rows: nothing left to confirm
    }

    /** The open groups; the first call (when the aggregator starts) adds the golden records left pending. */
    @Override
    public Set<String> getKeys() {
        if (!started) {
            synchronized (this) {
                if (!started) {
                    recovered.addAll(store.pendingMerges());
                    started = true;
                }
            }
        }
        Set<String> keys = new HashSet<>(open.keySet());
        keys.addAll(recovered);
        return keys;
    }
}
