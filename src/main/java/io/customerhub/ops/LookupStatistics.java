package io.customerhub.ops;

import io.customerhub.enrich.LookupCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Micrometer counters of the HTTP lookups: {@code hub_lookup_records_total{lookup, outcome}} per
 * record (found, not_found, http_error, timeout, batch_timeout, unreachable, invalid, skipped) and
 * {@code hub_lookup_calls_total{lookup, outcome}} per request sent to the service; records minus
 * calls is what the cache and the per-batch distinct keys saved.
 */
public final class LookupStatistics implements LookupCounter {

    private final Supplier<Optional<MeterRegistry>> meters;

    /** @param meters the Camel registry's Micrometer registry, looked up when counting (empty without metrics) */
    public LookupStatistics(Supplier<Optional<MeterRegistry>> meters) {
        this.meters = meters;
    }

    @Override
    public void records(String lookup, String outcome, int count) {
        meters.get().ifPresent(registry -> Counter.builder("hub.lookup.records")
                .description("Records looked up by an HTTP lookup, by outcome")
                .tags("lookup", lookup, "outcome", outcome)
                .register(registry)
                .increment(count));
    }

    @Override
    public void call(String lookup, String outcome) {
        meters.get().ifPresent(registry -> Counter.builder("hub.lookup.calls")
                .description("Requests an HTTP lookup sent to its service, by outcome")
                .tags("lookup", lookup, "outcome", outcome)
                .register(registry)
                .increment());
    }
}
