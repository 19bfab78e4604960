package io.customerhub.enrich;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one lookup learned for one key: the attributes found, or why there are none. Only an
 * answer of the service (found, not found) is cached; failures are tried again with the next
 * batch that has the key.
 *
 * @param reason for the record's {@code enrichment_reason}: never contains the key or the URL
 */
public record LookupAnswer(Outcome outcome, String reason, Map<String, String> attributes) {

    /** The outcomes, also the {@code outcome} tag of the lookup metrics. */
    public enum Outcome {
        FOUND("found"),
        NOT_FOUND("not_found"),
        HTTP_ERROR("http_error"),
        TIMEOUT("timeout"),
        BATCH_TIMEOUT("batch_timeout"),
        UNREACHABLE("unreachable"),
        INVALID("invalid"),
        SKIPPED("skipped");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    public LookupAnswer {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes)); // in declaration order
    }

    static LookupAnswer found(Map<String, String> attributes) {
        return new LookupAnswer(Outcome.FOUND, null, attributes);
    }

    static LookupAnswer failed(Outcome outcome, String reason) {
        return new LookupAnswer(outcome, reason, Map.of());
    }

    /** Whether the service answered (and the answer may be reused for the key). */
    public boolean cacheable() {
        return outcome == Outcome.FOUND || outcome == Outcome.NOT_FOUND;
    }

    /** The failure of a call that got no HTTP answer: a timeout, an unreachable service, or another error. */
    static LookupAnswer of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // socket read, connect and connection-pool timeouts are all InterruptedIOExceptions
            if (cause instanceof InterruptedIOException) {
                return failed(Outcome.TIMEOUT, "timeout");
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException) {
                return failed(Outcome.UNREACHABLE, "unreachable (" + cause.getClass().getSimpleName() + ")");
            }
        }
        return failed(Outcome.UNREACHABLE, "failed (" + failure.getClass().getSimpleName() + ")");
    }
}
