package io.customerhub.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockingIndexTest {

    @Test
    void aKeyFindsEveryRecordThatHoldsItAndAPostingAddedTwiceIsKeptOnce() {
        BlockingIndex index = new BlockingIndex(10);
        long wang = BlockingIndex.hash("name:wang|1980");
        long li = BlockingIndex.hash("name:li|1980");
        index.add(new long[] {wang, li}, 1);
        index.add(new long[] {wang}, 2);
        index.add(new long[] {wang}, 2);

        assertArrayEquals(new int[] {1, 2}, sorted(index.lookup(wang)));
        assertArrayEquals(new int[] {1}, index.lookup(li));
        assertArrayEquals(new int[0], index.lookup(BlockingIndex.hash("name:zhang|1980")));
        assertEquals(3, index.size());
        assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {wang}, 0));
    }

    @Test
    void aKeyHeldByMoreRecordsThanTheBlockSizeFindsNothing() {
        BlockingIndex index = new BlockingIndex(3);
        long common = BlockingIndex.hash("city:beijing");
        for (int id = 1; id <= 3; id++) {
            index.add(new long[] {common}, id);
        }
        assertEquals(3, index.lookup(common).length);

        index.add(new long[] {common}, 4);
        index.add(new long[] {common}, 5);

        assertArrayEquals(new int[0], index.lookup(common));
        assertEquals(4, index.size(), "one posting past the limit marks the key; later ones are not kept");
    }

    @Test
    void aMillionPostingsGrowTheShardsOutsideTheHeapAndAreAllFoundAgain() {
        long directBefore = directMemoryUsed();
        BlockingIndex index = new BlockingIndex(100);
        Random random = new Random(7);
        int records = 100_000;
        long[][] keys = new long[records + 1][];
        for (int id = 1; id <= records; id++) {
            keys[id] = random.longs(10).toArray();
            index.add(keys[id], id);
        }

        assertEquals(10L * records, index.size());
        for (int id = 1; id <= records; id += 997) {
            for (long key : keys[id]) {
                int found = id;
                assertTrue(Arrays.stream(index.lookup(key)).anyMatch(f -> f == found),
                        "record " + id + " under its key");
            }
        }
        long bytes = index.bytes();
        assertTrue(bytes >= 8L * index.size() * 100 / 70 && bytes <= 8L * index.size() * 100 / 35,
                "8-byte slots 35-70% full: " + bytes);
        // the shards outgrown are freed only once collected: at least the live ones are there
        assertTrue(directMemoryUsed() - directBefore >= bytes / 2, "the slots are direct memory, not heap");
    }

    private static long directMemoryUsed() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    private static int[] sorted(int[] ids) {
        int[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }
}
