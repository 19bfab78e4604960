package io.customerhub.match;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * The blocking index: which records hold a blocking key, in memory. A key enters as a 64-bit hash
 * ({@link #hash}), a record as a positive {@code int} id (the store's {@code customer_source.id}),
 * and a posting (key, record) as one {@code long} in an open-addressed table: 8 bytes a slot, at
 * most {@value #MAX_LOAD_PERCENT}% full, so about 11 to 16 bytes a posting, 100 to 180 bytes a record
 * of ten keys. The table is split in {@value #SHARDS} shards that grow one at a time, so that
 * growing never needs twice the whole index.
 *
 * <p>The slots live outside the Java heap (direct buffers), so that the heap does not grow with the
 * records stored: the table is about 170 MB at a million records, a third of {@code -Xmx512m}, and
 * about 1.7 GB at ten million. Direct memory is limited by {@code -XX:MaxDirectMemorySize}, which
 * defaults to the heap's maximum.
 *
 * <p>The index is derived data: the store rebuilds it from its records at start and feeds it every
 * record it writes, so nothing of it is written to disk on the hot path. A slot keeps 32 bits of
 * the key's hash beside the record id and the shard six more: two keys that collide anyway
 * only add a candidate, which the comparison then rejects. A key held by more than
 * {@code maxBlockSize} records is too common to be evidence: it stops taking postings, and a
 * look-up returns nothing for it, as {@link MatchSettings#maxBlockSize()} says.
 *
 * <p>Thread-safe: every method holds the index's monitor for the few microseconds it takes.
 */
public final class BlockingIndex {

    private static final int SHARDS = 64;
    private static final int SHARD_BITS = 6;
    private static final int MAX_LOAD_PERCENT = 70;
    private static final int[] NONE = new int[0];

    private final int maxBlockSize;
    private final LongBuffer[] shards = new LongBuffer[SHARDS];
    private final int[] sizes = new int[SHARDS];
    private long postings;

    public BlockingIndex(int maxBlockSize) {
        if (maxBlockSize < 1) {
            throw new IllegalArgumentException("maxBlockSize must be at least 1: " + maxBlockSize);
        }
        this.maxBlockSize = maxBlockSize;
        Arrays.setAll(shards, i -> slots(1024));
    }

    /** The hashes of a record's blocking keys ({@link BlockingKeys#of}). */
    public static long[] hashes(Set<String> keys) {
        long[] hashes = new long[keys.size()];
        int i = 0;
        for (String key : keys) {
            hashes[i++] = hash(key);
        }
        return hashes;
    }

    /** A 64-bit hash of a key: FNV-1a over its characters, then the SplitMix64 finalizer to spread the bits. */
    public static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ h >>> 31;
    }

    /** Records that {@code id} holds each key of {@code hashes}; adding a posting twice keeps one. */
    public synchronized void add(long[] hashes, int id) {
        if (id <= 0) {
            throw new IllegalArgumentException("record ids are positive: " + id);
        }
        for (long hash : hashes) {
            add(hash, id);
        }
    }

    /**
     * The records holding the key of {@code hash}, in no particular order; none when more than
     * {@code maxBlockSize} hold it.
     */
    public synchronized int[] lookup(long hash) {
        int shard = shard(hash);
        LongBuffer slots = shards[shard];
        int mask = slots.capacity() - 1;
        int tag = (int) hash;
        int[] found = new int[4];
        int count = 0;
        int i = position(hash, mask);
        for (long slot; (slot = slots.get(i)) != 0; i = (i + 1) & mask) {
            if ((int) (slot >>> 32) == tag) {
                if (count == maxBlockSize) {
                    return NONE;
                }
                if (count == found.length) {
                    found = Arrays.copyOf(found, count * 2);
                }
                found[count++] = (int) slot;
            }
        }
        return count == found.length ? found : Arrays.copyOf(found, count);
    }

    /** Postings held. */
    public synchronized long size() {
        return postings;
    }

    /** Bytes the table takes (outside the heap). */
    public synchronized long bytes() {
        long bytes = 0;
        for (LongBuffer slots : shards) {
            bytes += 8L * slots.capacity();
        }
        return bytes;
    }

    private void add(long hash, int id) {
        int shard = shard(hash);
        if ((sizes[shard] + 1) * 100L > (long) shards[shard].capacity() * MAX_LOAD_PERCENT) {
            grow(shard);
        }
        LongBuffer slots = shards[shard];
        int mask = slots.capacity() - 1;
        int tag = (int) hash;
        long entry = (long) tag << 32 | id;
        int held = 0;
        int i = position(hash, mask);
        for (long slot; (slot = slots.get(i)) != 0; i = (i + 1) & mask) {
            if (slot == entry) {
                return;
            }
            // one past the limit marks the key as too common; more postings would only cost memory
            if ((int) (slot >>> 32) == tag && ++held > maxBlockSize) {
                return;
            }
        }
        slots.put(i, entry);
        sizes[shard]++;
        postings++;
    }

    private void grow(int shard) {
        LongBuffer old = shards[shard];
        LongBuffer slots = slots(old.capacity() * 2);
        int mask = slots.capacity() - 1;
        for (int j = 0; j < old.capacity(); j++) {
            long entry = old.get(j);
            if (entry != 0) {
                int i = position(entry >>> 32, mask);
                while (slots.get(i) != 0) {
                    i = (i + 1) & mask;
                }
                slots.put(i, entry);
            }
        }
        shards[shard] = slots;
    }

    /** A shard of {@code count} empty slots, outside the heap; freed when the collector finds it unreachable. */
    private static LongBuffer slots(int count) {
        return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static int shard(long hash) {
        return (int) (hash >>> (64 - SHARD_BITS));
    }

    /**
     * A slot's position: from the hash's low 32 bits (the tag, which the slot keeps, so that it can
     * be placed again when the shard grows) mixed once more. The shard takes the top 6 bits: a key
     * is told apart by 38 bits of its hash.
     */
    private static int position(long hash, int mask) {
        int tag = (int) hash;
        int mixed = tag * 0x9E3779B1;
        return (mixed ^ mixed >>> 16) & mask;
    }
}
