package io.customerhub.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerhub.record.CustomerRecord;
import io.customerhub.record.CustomerType;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SurvivorshipTest {

    private static final Instant OLD = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant MIDDLE = Instant.parse("2024-02-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2024-03-01T00:00:00Z");

    /** Three records of one person, newest first: the shop (newest), the ERP, the CRM (oldest). */
    private static final List<SourceSnapshot> RECORDS = List.of(
            snapshot("shop", "S-1", NEW, "Wei Zhang", null, "wei@shop.example",
                    new PostalAddress("CN", null, "北京市", null, "知春路5号", null)),
            snapshot("erp", "E-7", MIDDLE, "张伟", Gender.M, "zhang.wei@example.cn",
                    new PostalAddress("CN", "北京市", "北京市", "海淀区", "中关村大街1号", "100080")),
            snapshot("crm", "42", OLD, "张伟", Gender.M, "zhang.wei@example.cn", PostalAddress.EMPTY));

    @ParameterizedTest(name = "{0} for the {1} picks {2}")
    @CsvSource({
            "most-recent,     email,   shop",
            "most-frequent,   email,   erp",
            "source-priority, email,   crm",
            "most-recent,     address, shop",
            "most-complete,   address, erp",
            "source-priority, address, erp",
            "most-recent,     gender,  erp",
    })
    void eachRulePicksItsRecord(String rule, String group, String winner) {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.from(Map.of(
                "survivorship." + group, rule, "source-priority", "crm, erp")));

        GoldenRecord golden = survivorship.survive(RECORDS);

        Lineage lineage = golden.lineage().get(FieldGroup.of(group));
        assertThat(lineage.source()).isEqualTo(winner);
        assertThat(lineage.rule()).isEqualTo(SurvivorshipRule.of(rule));
        CustomerRecord from = RECORDS.stream().filter(r -> r.values().source().equals(winner)).findFirst().orElseThrow()
                .values();
        assertThat(FieldGroup.of(group).values(golden.values())).isEqualTo(FieldGroup.of(group).values(from));
        assertThat(lineage.at()).isEqualTo(RECORDS.stream().filter(r -> r.values().source().equals(winner))
                .findFirst().orElseThrow().at());
    }

    @ParameterizedTest(name = "{0}: the e-mail of {1}, outcome {2}")
    @CsvSource({
            "owner-wins,  erp,  OWNER_KEPT",
            "newest-wins, shop, NEWEST_TAKEN",
            "hold,        crm,  HELD",
    })
    void aSourceThatDoesNotOwnAGroupDisagreeingWithItsOwnerIsAConflictSettledByTheRule(String rule, String winner,
                                                                                         String outcome) {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.from(Map.of(
                "owner.email", "erp", "conflict.email", rule)));
        // the golden record takes its e-mail from the CRM record now
        Map<FieldGroup, Lineage> current = Map.of(FieldGroup.EMAIL, new Lineage("crm", "42", OLD, SurvivorshipRule.MOST_RECENT));

        GoldenRecord golden = survivorship.survive(RECORDS, current, RECORDS.get(2).values());

        assertThat(golden.lineage().get(FieldGroup.EMAIL).source()).isEqualTo(winner);
        assertThat(golden.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.group()).isEqualTo(FieldGroup.EMAIL);
            assertThat(conflict.ownerSource()).isEqualTo("erp");
            assertThat(conflict.ownerValues()).containsExactly("zhang.wei@example.cn");
            assertThat(conflict.otherSource()).isEqualTo("shop");
            assertThat(conflict.otherValues()).containsExactly("wei@shop.example");
            assertThat(conflict.outcome()).isEqualTo(outcome);
        });
    }

    @Test
    void anOwnerThatAgreesOrIsNewestMeansNoConflict() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.from(Map.of("owner.address", "shop")));

        assertThat(survivorship.survive(RECORDS).conflicts()).isEmpty();
        assertThat(new Survivorship(SurvivorshipSettings.from(Map.of("owner.gender", "erp"))).survive(RECORDS).conflicts())
                .as("the CRM agrees with the ERP and the shop says nothing").isEmpty();
    }

    @Test
    void anEditThatTheOwnersNewerEditOverridesBeforeTheNextRecomputeIsAConflictToo() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.from(Map.of(
                "owner.email", "erp", "conflict.email", "owner-wins")));
        CustomerRecord held = RECORDS.get(1).values();
        Map<FieldGroup, Lineage> current = Map.of(FieldGroup.EMAIL, new Lineage("erp", "E-7", OLD, SurvivorshipRule.MOST_RECENT));
        String base = FieldGroup.EMAIL.hash(held);
        // the CRM's edit is read first, the ERP's a moment later, both before the golden record is recomputed
        SourceSnapshot crm = new SourceSnapshot(withEmail(RECORDS.get(2).values(), "crm@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW, base)));
        SourceSnapshot erp = new SourceSnapshot(withEmail(held, "erp@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW.plusMillis(300), base)));

        GoldenRecord golden = survivorship.survive(List.of(crm, erp), current, held);

        assertThat(golden.values().email()).isEqualTo("erp@example.cn");
        assertThat(golden.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.ownerValues()).containsExactly("erp@example.cn");
            assertThat(conflict.otherSource()).isEqualTo("crm");
            assertThat(conflict.otherValues()).containsExactly("crm@example.cn");
            assertThat(conflict.outcome()).isEqualTo("OWNER_KEPT");
        });
        assertThat(survivorship.survive(List.of(erp), current, held).conflicts()).as("the owner alone").isEmpty();
    }

    @Test
    void anAddressIsTakenWholeFromOneRecord() {
        GoldenRecord golden = new Survivorship(SurvivorshipSettings.defaults()).survive(RECORDS);

        assertThat(golden.values().address()).as("no postal code of the ERP under the shop's street")
                .isEqualTo(new PostalAddress("CN", null, "北京市", null, "知春路5号", null));
    }

    @Test
    void aRecordThatSaysNothingNeverWins() {
        GoldenRecord golden = new Survivorship(SurvivorshipSettings.defaults()).survive(RECORDS);

        assertThat(golden.values().gender()).as("the shop's unknown gender does not hide the ERP's").isEqualTo(Gender.M);
        assertThat(golden.lineage().get(FieldGroup.GENDER).source()).isEqualTo("erp");
        assertThat(golden.lineage()).doesNotContainKey(FieldGroup.COMPANY);
        assertThat(golden.values().company()).isNull();
    }

    @Test
    void tiesGoToTheNewestRecord() {
        GoldenRecord golden = new Survivorship(SurvivorshipSettings.from(Map.of("survivorship.default", "most-frequent")))
                .survive(RECORDS);

        assertThat(golden.lineage().get(FieldGroup.NAME).source()).as("张伟 twice beats Wei Zhang once").isEqualTo("erp");
        assertThat(golden.lineage().get(FieldGroup.ADDRESS).source()).as("three different addresses: the newest")
                .isEqualTo("shop");
    }

    @Test
    void unlistedSourcesRankLast() {
        GoldenRecord golden = new Survivorship(SurvivorshipSettings.from(Map.of(
                "survivorship.default", "source-priority", "source-priority", "erp"))).survive(RECORDS);

        assertThat(golden.lineage().get(FieldGroup.EMAIL).source()).isEqualTo("erp");
        assertThat(golden.lineage().get(FieldGroup.NAME).source()).isEqualTo("erp");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("survivorship.street", "most-recent")))
                .hasMessageContaining("hub.merge.survivorship.street").hasMessageContaining("address");
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("survivorship.email", "newest")))
                .hasMessageContaining("hub.merge.survivorship.email").hasMessageContaining("most-recent");
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("priority", "erp")))
                .hasMessageContaining("hub.merge.priority");
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("conflict.address", "owner-wins")))
                .hasMessageContaining("hub.merge.conflict.address").hasMessageContaining("no owner");
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("owner.address", "erp", "conflict.address", "erp-wins")))
                .hasMessageContaining("hub.merge.conflict.address").hasMessageContaining("owner-wins");
    }

    @Test
    void eachGroupGoesToItsNewestEditNotToTheNewestRecord() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.defaults());
        SourceSnapshot crm = RECORDS.get(2);
        // the CRM record, first stored long ago, had its e-mail edited after everything else
        SourceSnapshot edited = new SourceSnapshot(withEmail(crm.values(), "new@crm.example"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW.plusSeconds(60), FieldGroup.EMAIL.hash(crm.values()))));

        GoldenRecord golden = survivorship.survive(List.of(RECORDS.get(0), RECORDS.get(1), edited));

        assertThat(golden.values().email()).isEqualTo("new@crm.example");
        assertThat(golden.values().fullName()).as("the shop's name is still the newest").isEqualTo("Wei Zhang");
        assertThat(golden.lineage().get(FieldGroup.EMAIL).at()).isEqualTo(NEW.plusSeconds(60));
    }

    @Test
    void anEchoOfAnOlderGoldenValueIsNeverNewerThanTheEditThatReplacedIt() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.defaults());
        // the hub decided the shop's e-mail at MIDDLE and wrote it to the CRM; the ERP edited its own since (NEW)
        SourceSnapshot echo = new SourceSnapshot(withEmail(RECORDS.get(2).values(), "wei@shop.example"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(MIDDLE, null)));
        SourceSnapshot erp = new SourceSnapshot(withEmail(RECORDS.get(1).values(), "zhang@erp.example"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW, FieldGroup.EMAIL.hash(RECORDS.get(1).values()))));

        GoldenRecord golden = survivorship.survive(List.of(echo, erp));

        assertThat(golden.values().email()).isEqualTo("zhang@erp.example");
    }

    @Test
    void withoutAnOwnerAnEditMadeWithoutKnowingTheGoldenValueIsAConflictSettledByTheRule() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.defaults());
        CustomerRecord held = withEmail(RECORDS.get(1).values(), "api@example.cn");
        Map<FieldGroup, Lineage> current = Map.of(FieldGroup.EMAIL, new Lineage("api", "A-1", MIDDLE, SurvivorshipRule.MOST_RECENT));
        // the ERP edits its e-mail from the value it held before the golden record took the API's
        SourceSnapshot erp = new SourceSnapshot(withEmail(RECORDS.get(1).values(), "erp@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW, FieldGroup.EMAIL.hash(RECORDS.get(1).values()))));
        SourceSnapshot api = new SourceSnapshot(held, OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(MIDDLE, FieldGroup.EMAIL.hash(RECORDS.get(1).values()))));

        GoldenRecord golden = survivorship.survive(List.of(api, erp), current, held);

        assertThat(golden.values().email()).isEqualTo("erp@example.cn");
        assertThat(golden.conflicts()).singleElement().satisfies(conflict -> {
            assertThat(conflict.ownerSource()).isEqualTo("api");
            assertThat(conflict.ownerValues()).containsExactly("api@example.cn");
            assertThat(conflict.otherSource()).isEqualTo("erp");
            assertThat(conflict.otherValues()).containsExactly("erp@example.cn");
            assertThat(conflict.rule()).isEqualTo("most-recent");
            assertThat(conflict.outcome()).isEqualTo("TAKEN");
        });

        // an edit made on the golden value, and an echo, are no conflict
        SourceSnapshot informed = new SourceSnapshot(withEmail(RECORDS.get(1).values(), "erp@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW, FieldGroup.EMAIL.hash(held))));
        SourceSnapshot echo = new SourceSnapshot(withEmail(RECORDS.get(2).values(), "api@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW.plusSeconds(1), null)));
        assertThat(survivorship.survive(List.of(api, informed, echo), current, held).conflicts()).isEmpty();
    }

    @Test
    void twoEditsOfOneGroupSinceTheLastRecomputeAreAConflictEvenOnTheSameBase() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.defaults());
        CustomerRecord held = RECORDS.get(1).values();
        Map<FieldGroup, Lineage> current = Map.of(FieldGroup.EMAIL, new Lineage("erp", "E-7", MIDDLE, SurvivorshipRule.MOST_RECENT));
        String base = FieldGroup.EMAIL.hash(held);
        SourceSnapshot api = new SourceSnapshot(snapshot("api", "A-1", OLD, "张伟", Gender.M, "api@example.cn",
                PostalAddress.EMPTY).values(), OLD, Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW, base)));
        SourceSnapshot crm = new SourceSnapshot(withEmail(RECORDS.get(2).values(), "crm@example.cn"), OLD,
                Map.of(FieldGroup.EMAIL, new SourceSnapshot.Edit(NEW.plusMillis(300), base)));

        GoldenRecord golden = survivorship.survive(List.of(api, crm), current, held);

        assertThat(golden.values().email()).isEqualTo("crm@example.cn");
        assertThat(golden.conflicts()).extracting(Conflict::otherSource, Conflict::outcome)
                .containsExactlyInAnyOrder(Tuple.tuple("api", "KEPT"),
                        Tuple.tuple("crm", "TAKEN"));
    }

    private static CustomerRecord withEmail(CustomerRecord r, String email) {
        return new CustomerRecord(r.source(), r.sourceKey(), r.sourceUpdatedAt(), r.fullName(), r.givenName(), r.familyName(),
                r.gender(), r.birthDate(), email, r.phone(), r.phoneRaw(), r.address(), r.company(), r.nationalId());
    }

    @Test
    void organizationsFollowTheirOwnSettingsAndPeopleTheirs() {
        Survivorship survivorship = new Survivorship(SurvivorshipSettings.from(Map.of("source-priority", "crm, erp",
                "organization.source-priority", "erp", "organization.survivorship.name", "source-priority")));
        List<SourceSnapshot> company = List.of(
                organization("crm", "C-1", NEW, "宁波港集团"),
                organization("erp", "E-1", OLD, "宁波舟山港股份有限公司"));

        assertThat(survivorship.survive(company).values().fullName()).as("the registered name, from the ERP")
                .isEqualTo("宁波舟山港股份有限公司");
        assertThat(survivorship.survive(RECORDS).values().fullName()).as("people: the most recent, as before")
                .isEqualTo("Wei Zhang");
        assertThatThrownBy(() -> SurvivorshipSettings.from(Map.of("organization.conflict.name", "owner-wins")))
                .hasMessageContaining("hub.merge.organization.conflict.name").hasMessageContaining("hub.merge.organization.owner.name");
    }

    private static SourceSnapshot organization(String source, String key, Instant at, String name) {
        return new SourceSnapshot(new CustomerRecord(source, key, at, name, null, null, Gender.U, null, null, null, null,
                PostalAddress.EMPTY, null, null, CustomerType.ORGANIZATION), at);
    }

    private static SourceSnapshot snapshot(String source, String key, Instant at, String fullName, Gender gender,
                                           String email, PostalAddress address) {
        return new SourceSnapshot(new CustomerRecord(source, key, at, fullName, null, null, gender,
                LocalDate.of(1985, 6, 1), email, null, null, address, null, null), at);
    }
}
