package io.customerhub.enrich;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of one lookup by key, so that a key seen again (in this batch, a later batch or
 * another source) does not call the service again: at most {@code maxSize} entries, the least
 * recently used dropped first, each kept for at most {@code timeToLive}. A size of 0 caches nothing.
 */
final class LookupCache<V> {

    private final int maxSize;
    private final Duration timeToLive;
    private final Clock clock;
    private final LinkedHashMap<String, Entry<V>> entries;

    LookupCache(int maxSize, Duration timeToLive, Clock clock) {
        if (maxSize < 0 || timeToLive.isNegative()) {
            throw new IllegalArgumentException("cache size and time to live cannot be negative");
        }
        this.maxSize = maxSize;
        this.timeToLive = timeToLive;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
                return size() > LookupCache.this.maxSize;
            }
        };
    }

    /** The answer for {@code key} when cached and not expired, else null. */
    synchronized V get(String key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(key);
            return null;
        }
        return entry.value();
    }

    synchronized void put(String key, V value) {
        if (maxSize > 0 && !timeToLive.isZero()) {
            entries.put(key, new Entry<>(value, clock.instant().plus(timeToLive)));
        }
    }

    synchronized int size() {
        return entries.size();
    }

    private record Entry<V>(V value, Instant expires) {
    }
}
