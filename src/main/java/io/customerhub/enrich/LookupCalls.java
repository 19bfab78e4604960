package io.customerhub.enrich;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lookups of one batch: the distinct keys the service must be asked for (the others were
 * cached), the answers as they come in (from parallel calls), and the deadline of the batch's
 * time budget after which no call starts.
 */
public final class LookupCalls {

    private final List<String> keys;
    private final Map<String, LookupAnswer> answers;
    private final Instant deadline;
    private final Clock clock;

    LookupCalls(List<String> keys, Map<String, LookupAnswer> cached, Instant deadline, Clock clock) {
        this.keys = List.copyOf(keys);
        this.answers = new ConcurrentHashMap<>(cached);
        this.deadline = deadline;
        this.clock = clock;
    }

    /** The keys to call the service for, each once. */
    public List<String> keys() {
        return keys;
    }

    /** Whether a call may still start: the batch's time budget is not spent. */
    public boolean inTime() {
        return clock.instant().isBefore(deadline);
    }

    void answer(String key, LookupAnswer answer) {
        answers.put(key, answer);
    }

    /** The answer for {@code key}, or null when its call did not finish in time (or did not start). */
    LookupAnswer answer(String key) {
        return answers.get(key);
    }
}
