package io.customerhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    private static final long MARCH_2024 = 1_709_280_000_000L;

    @Test
    void idsAreVersion7WithTheMillisecondsInFront() {
        UUID id = new TimeOrderedIds(() -> MARCH_2024).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(MARCH_2024);
        assertThat(id.toString()).hasSize(36).startsWith("018df906-f800-7");
    }

    @Test
    void idsOfOneMillisecondIncreaseAsText() {
        TimeOrderedIds ids = new TimeOrderedIds(() -> MARCH_2024);

        List<String> texts = texts(ids, 10_000);

        assertThat(texts).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    }

    @Test
    void idsKeepIncreasingWhenTheClockStepsBack() {
        AtomicLong clock = new AtomicLong(MARCH_2024);
        TimeOrderedIds ids = new TimeOrderedIds(clock::get);
        List<String> texts = new ArrayList<>(texts(ids, 3));

        clock.set(MARCH_2024 - 60_000);
        texts.addAll(texts(ids, 3));
        clock.set(MARCH_2024 + 1);
        texts.addAll(texts(ids, 3));

        assertThat(texts).hasSize(9).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    }

    @Test
    void laterMillisecondsSortLater() {
        AtomicLong clock = new AtomicLong(MARCH_2024);
        TimeOrderedIds ids = new TimeOrderedIds(clock::get);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            clock.addAndGet(i % 3 == 0 ? 1 : 0);
            texts.add(ids.next().toString());
        }

        assertThat(texts).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
    }

    private static List<String> texts(TimeOrderedIds ids, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(ids.next().toString());
        }
        return texts;
    }
}
