package io.customerhub.store;

import io.customerhub.match.MatchSettings;
import io.customerhub.merge.SurvivorshipSettings;
import io.customerhub.record.OutboundChange;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox cases on PostgreSQL, and its claims: where several hubs share a store, a row handed to one hub's writer is
 * claimed from the others (an embedded H2 store serves one process, which claims nothing).
 */
class SyncOutboxPostgresTest extends SyncOutboxCases {

    @Override
    StoreTestDatabases.TestDatabase openDatabase() {
        return StoreTestDatabases.postgres();
    }

    @Test
    void rowsReadForDeliveryAreClaimedFromOtherHubsUntilTheirOwnerRestarts() {
        SyncOutbox.Settings first = new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, "hub-a");
        CustomerStore hubA = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), first);
        CustomerStore hubB = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, "hub-b"));
        store(hubA, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> claimed = hubA.syncOutbox().due("crm", CRM_FIELDS, 10, true);
        assertThat(claimed).hasSize(1);

        // hub A dies before recording the delivery: another hub leaves the row alone
        assertThat(hubB.syncOutbox().due("crm", CRM_FIELDS, 10, true)).isEmpty();
        // hub A restarted under its name releases its claims and delivers the row at once
        CustomerStore restarted = new CustomerStore(database.dataSource(), MatchSettings.defaults(),
                SurvivorshipSettings.defaults(), () -> Set.of("crm", "erp"), first);
        assertThat(restarted.syncOutbox().due("crm", CRM_FIELDS, 10, true)).extracting(OutboundChange::changeSeq)
                .containsExactly(claimed.get(0).changeSeq());
    }

    @Test
    void aClaimRunsOutForAnotherHubWhenItsOwnerNeverComesBack() {
        CustomerStore hubA = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, "hub-a"));
        store(hubA, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        long claimed = hubA.syncOutbox().due("crm", CRM_FIELDS, 10, true).get(0).changeSeq();

        Clock later = Clock.offset(Clock.systemUTC(), SyncOutbox.CLAIM.plusSeconds(1));
        CustomerStore hubB = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, "hub-b"), later);
        assertThat(hubB.syncOutbox().due("crm", CRM_FIELDS, 10, true)).extracting(OutboundChange::changeSeq).containsExactly(claimed);
    }
}
