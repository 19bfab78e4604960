package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.match.IncrementalResolver.Resolution;
import io.customerhub.record.CustomerRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncrementalResolverTest {

    private final IncrementalResolver resolver = new IncrementalResolver(MatchSettings.defaults());

    @Test
    void duplicatesJoinTheClusterOfTheirOriginal() {
        List<Resolution> resolutions = resolver.addAll(List.of(
                People.named("John", "Smith").born("1980-03-04").living("12 Main Street", "Sydney", "2000").record("crm-1"),
                People.named("Mary", "Jones").born("1975-05-06").living("3 High Street", "Perth", "6000").record("crm-2"),
                People.named("Jon", "Smith").born("1980-04-03").living("12 Main St", "Sydney", "2000").record("erp-7")));

        assertThat(resolutions).extracting(Resolution::cluster, Resolution::decision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, MatchDecision.NEW),
                        org.assertj.core.groups.Tuple.tuple(1, MatchDecision.NEW),
                        org.assertj.core.groups.Tuple.tuple(0, MatchDecision.MERGE));
        assertThat(resolver.clusters()).extracting(c -> c.stream().map(CustomerRecord::sourceKey).toList())
                .containsExactly(List.of("crm-1", "erp-7"), List.of("crm-2"));
        assertThat(resolutions.get(2).best().rule()).isEqualTo("weighted");
    }

    @Test
    void onlyRecordsSharingAKeyAreCompared() {
        resolver.add(People.named("John", "Smith").born("1980-03-04").living("12 Main Street", "Sydney", "2000").record("1"));
        resolver.add(People.named("Mary", "Jones").born("1975-05-06").living("3 High Street", "Perth", "6000").record("2"));
        resolver.add(People.named("Wei", "Zhang").born("1990-01-02").living("1 Long Road", "Hobart", "7000").record("3"));
        assertThat(resolver.comparisons()).isZero();

        resolver.add(People.named("John", "Smith").born("1980-03-04").record("4"));
        assertThat(resolver.comparisons()).isEqualTo(1);
    }

    @Test
    void aRecordLinkingTwoClustersMergesThem() {
        resolver.add(People.named("John", "Smith").born("1980-03-04").email("js@example.com").living(null, null, "2000").record("crm"));
        resolver.add(People.named("John", "Smith").phone("+61212345678").living(null, null, "3000").record("shop"));
        assertThat(resolver.clusters()).hasSize(2);

        Resolution link = resolver.add(People.named("John", "Smith").email("js@example.com").phone("+61212345678").record("erp"));

        assertThat(link.decision()).isEqualTo(MatchDecision.MERGE);
        assertThat(resolver.clusters()).hasSize(1);
        assertThat(resolver.clusterOf(1)).isEqualTo(0);
    }

    @Test
    void uncertainPairsAreKeptForReviewAndNotMerged() {
        resolver.add(People.named("John", "Smith").born("1980-03-04").living("12 Main Street", "Sydney", "2000").record("father"));
        Resolution son = resolver.add(People.named("John", "Smith").born("2011-09-23").living("12 Main Street", "Sydney", "2000").record("son"));

        assertThat(son.decision()).isEqualTo(MatchDecision.REVIEW);
        assertThat(resolver.clusters()).hasSize(2);
        assertThat(resolver.reviews()).singleElement()
                .satisfies(review -> assertThat(List.of(review.left(), review.right())).containsExactly(0, 1));
    }

    @Test
    void aKeySharedByTooManyRecordsIsNoLongerSearched() {
        IncrementalResolver small = new IncrementalResolver(MatchSettings.from(Map.of("max-block-size", "2")));
        for (int i = 0; i < 5; i++) {
            // the same placeholder e-mail on people who share nothing else
            small.add(People.named("Person" + (char) ('a' + i), "Family" + (char) ('a' + i)).email("none@example.com").record("r" + i));
        }
        // compared with the first 1, then 2 records; from then on the block is too common
        assertThat(small.comparisons()).isEqualTo(3);
    }
}
