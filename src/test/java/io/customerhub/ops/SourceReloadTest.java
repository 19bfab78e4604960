package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Reloading routes/sources/ in the running hub: only what changed, nothing when anything is wrong. */
class SourceReloadTest {

    @TempDir
    Path dir;

    @Test
    void aChangedFileReplacesItsRoutesOnlyANewOneAddsADeletedOneRemovesAndAnInvalidOneChangesNothing() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Path crm = home.root().resolve("routes/sources/crm.camel.yaml");
        Path shop = home.root().resolve("routes/sources/shop.camel.yaml");
        try (RunningHub hub = RunningHub.start(home, Map.of())) {
            HubControl control = hub.bean("hubControl", HubControl.class);
            Route shopRoute = hub.camel().getRoute("shop-ingest");
            assertThat(control.reload()).isEqualTo("routes/sources unchanged");

            // the CRM's mapping changed: its route is replaced, the shop's is the same route as before
            Files.writeString(crm, Files.readString(crm).replace("company: 公司", "company: { constant: Reloaded Ltd }"));
            assertThat(control.reload()).isEqualTo("reloaded routes/sources/crm.camel.yaml replaced: crm-ingest");
            assertThat(hub.camel().getRoute("shop-ingest")).isSameAs(shopRoute);
            assertThat(hub.camel().getRouteController().getRouteStatus("crm-ingest")).isEqualTo(ServiceStatus.Started);
            home.dropSample("crm", "customers-20261125.csv");
            await().atMost(Duration.ofMinutes(1)).until(() -> hub.query("SELECT COUNT(*) AS n FROM customer_source"
                    + " WHERE source = 'crm' AND company = 'Reloaded Ltd'").get(0).get("n").equals(6L));

            // a misspelt parameter, and a file Camel cannot read: refused, the running routes as they were
            String shopDeclaration = Files.readString(shop);
            Files.writeString(shop, shopDeclaration.replace("- name: record-path", "- name: record-paht"));
            assertThatThrownBy(control::reload).hasMessageContaining("nothing reloaded")
                    .hasMessageContaining("routes/sources/shop.camel.yaml:11: shop-ingest: template file-source has no parameter"
                            + " record-paht; did you mean record-path?");
            Files.writeString(shop, shopDeclaration);
            Files.writeString(home.root().resolve("routes/sources/web.camel.yaml"), """
                    - route:
                        id: web-ingest
                        fromm:
                          uri: timer:web
                    """);
            assertThatThrownBy(control::reload).hasMessageStartingWith("nothing reloaded: routes/sources/web.camel.yaml: ");
            assertThat(hub.camel().getRoute("shop-ingest")).isSameAs(shopRoute);
            assertThat(hub.camel().getRoute("web-ingest")).isNull();

            // a new source, then deleted again
            home.declareFileSource("web", "csv", "key: id\nfields:\n  fullName: name\n", false);
            assertThat(control.reload()).isEqualTo("reloaded routes/sources/web.camel.yaml added: web-ingest");
            home.drop("web", "people.csv", "id,name\n1,Ada Lovelace\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            await().atMost(Duration.ofMinutes(1)).until(() -> hub.query("SELECT COUNT(*) AS n FROM customer_source"
                    + " WHERE source = 'web'").get(0).get("n").equals(1L));
            Files.delete(home.root().resolve("routes/sources/web.camel.yaml"));
            assertThat(control.reload()).isEqualTo("reloaded routes/sources/web.camel.yaml removed: web-ingest");
            assertThat(hub.camel().getRoute("web-ingest")).isNull();
            assertThat(hub.camel().getRoute("shop-ingest")).isSameAs(shopRoute);
        }
    }

    @Test
    void theWatchReloadsAChangedFileByItselfWhenSwitchedOn() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Path crm = home.root().resolve("routes/sources/crm.camel.yaml");
        try (RunningHub hub = RunningHub.start(home, Map.of("hub.reload.watch", "true", "hub.reload.watch-interval", "100"))) {
            Route before = hub.camel().getRoute("crm-ingest");
            Route shop = hub.camel().getRoute("shop-ingest");
            Files.writeString(crm, Files.readString(crm).replace("company: 公司", "company: { constant: Watched Ltd }"));
            await().atMost(Duration.ofMinutes(1)).until(() -> hub.camel().getRoute("crm-ingest") != null
                    && hub.camel().getRoute("crm-ingest") != before);
            assertThat(hub.camel().getRoute("shop-ingest")).isSameAs(shop);
        }
    }

    @Test
    void camelsOwnReloadIsRefusedAtStart() {
        assertThatThrownBy(() -> RunningHub.start(HubHome.copyOfProject(dir), Map.of("camel.main.routes-reload-enabled", "true")))
                .hasStackTraceContaining("camel.main.routes-reload-enabled is not supported");
    }
}
