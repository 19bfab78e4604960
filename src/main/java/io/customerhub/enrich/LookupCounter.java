package io.customerhub.enrich;

/** Where a lookup reports what it did, for the metrics; {@link #NONE} when there are none. */
public interface LookupCounter {

    LookupCounter NONE = new LookupCounter() {
        @Override
        public void records(String lookup, String outcome, int count) {
        }

        @Override
        public void call(String lookup, String outcome) {
        }
    };

    /** {@code count} records of a batch ended with {@code outcome} (an {@link LookupAnswer.Outcome#tag()}). */
    void records(String lookup, String outcome, int count);

    /** One request went to the service and ended with {@code outcome}. */
    void call(String lookup, String outcome);
}
