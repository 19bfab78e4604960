package io.customerhub.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Golden ids that sort by creation: UUID version 7 (RFC 9562), that is 48 bits of Unix milliseconds,
 * then a 42-bit counter that starts at a random value each millisecond and counts up within it, then
 * 32 random bits. Written as the usual 36-character text, later ids also compare greater as strings,
 * so inserting new golden records appends to the right edge of {@code customer}'s primary key and of
 * {@code ix_customer_source_customer} instead of rewriting random B-tree pages (name-based ids made
 * inserts several times slower). Strictly increasing within one JVM, even when the clock steps back.
 */
final class TimeOrderedIds {

    private static final int COUNTER_BITS = 42;
    private static final long COUNTER_MAX = (1L << COUNTER_BITS) - 1;
    /** The counter bits that go to the low half, after the variant bits. */
    private static final int LOW_COUNTER_BITS = 30;

    private final LongSupplier clock;
    private long millis = -1;
    private long counter;

    TimeOrderedIds() {
        this(System::currentTimeMillis);
    }

    /** @param clock Unix milliseconds */
    TimeOrderedIds(LongSupplier clock) {
        this.clock = clock;
    }

    synchronized UUID next() {
        long now = clock.getAsLong();
        if (now > millis) {
            millis = now;
            // the lower half of the range only, so that a busy millisecond has room to count up
            counter = ThreadLocalRandom.current().nextLong(1L << (COUNTER_BITS - 1));
        } else if (++counter > COUNTER_MAX) {
            // borrow the next millisecond rather than wrap around and break the order
            millis++;
            counter = 0;
        }
        long high = millis << 16 | 0x7000L | counter >>> LOW_COUNTER_BITS;
        long low = 0x8000_0000_0000_0000L
                | (counter & ((1L << LOW_COUNTER_BITS) - 1)) << 32
                | ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
        return new UUID(high, low);
    }
}
