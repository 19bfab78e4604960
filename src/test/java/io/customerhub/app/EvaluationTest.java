package io.customerhub.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    @Test
    void scoresPairsOfRecordsAgainstTheTruth() {
        // truth: {a1, a2, a3} one person, {b1, b2} another; the hub merged a1+a2, b1+b2+a3, and left c1 unstored
        Map<String, String> truth = Map.of("a1", "A", "a2", "A", "a3", "A", "b1", "B", "b2", "B", "c1", "C");
        Map<String, String> golden = Map.of("a1", "g1", "a2", "g1", "a3", "g2", "b1", "g2", "b2", "g2");

        Evaluation.Figures figures = Evaluation.score(truth, golden, 7, 0.75);

        // true pairs: 3 (A) + 1 (B) = 4; predicted: 1 (g1) + 3 (g2) = 4; correct: a1-a2, b1-b2 = 2
        assertThat(figures.precision()).isCloseTo(0.5, within(1e-9));
        assertThat(figures.recall()).isCloseTo(0.5, within(1e-9));
        assertThat(figures.f1()).isCloseTo(0.5, within(1e-9));
        assertThat(figures.records()).isEqualTo(6);
        assertThat(figures.golden()).isEqualTo(3);
        assertThat(figures.line())
                .isEqualTo("precision=0.5000 recall=0.5000 f1=0.5000 records=6 golden=3 comparisons=7 blocking-recall=0.7500");
    }

    @Test
    void blockingRecallIsTheShareOfTruePairsSharingAKey() {
        // A: a1-a2 share key 1, a1-a3 and a2-a3 share none; B: b1-b2 share key 5; c1 alone
        Map<String, String> truth = Map.of("a1", "A", "a2", "A", "a3", "A", "b1", "B", "b2", "B", "c1", "C");
        Map<String, long[]> keys = Map.of("a1", new long[] {1, 2}, "a2", new long[] {3, 1}, "a3", new long[] {4},
                "b1", new long[] {5}, "b2", new long[] {5, 6});

        assertThat(Evaluation.blockingRecall(truth, keys)).isCloseTo(0.5, within(1e-9));
        assertThat(Evaluation.blockingRecall(Map.of("c1", "C"), keys)).as("no true pairs").isEqualTo(1.0);
    }

    @Test
    void sourcesAreNamedAfterTheirFilesInKebabCase() {
        assertThat(Evaluation.sourceName(Path.of("/data/FEBRL dataset_1.csv"))).isEqualTo("febrl-dataset-1");
        assertThat(Evaluation.sourceName(Path.of("crm.json"))).isEqualTo("crm");
    }
}
