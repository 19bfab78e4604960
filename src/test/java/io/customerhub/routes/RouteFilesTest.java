package io.customerhub.routes;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.apache.camel.Route;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads every file under {@code routes/} the way the daemon does and checks the wiring an
 * integrator can break by editing YAML: ids, descriptions, and that every {@code direct:}
 * endpoint a route sends to has a route consuming it.
 */
class RouteFilesTest {

    @TempDir
    Path dir;

    @Test
    void everyRouteFileLoadsAndEveryDirectTargetHasAConsumer() {
        try (RunningHub hub = RunningHub.start(HubHome.copyOfProject(dir), Map.of())) {
            Model model = hub.camel().getCamelContextExtension().getContextPlugin(Model.class);

            Set<String> consumed = model.getRouteDefinitions().stream()
                    .map(RouteDefinition::getInput).map(FromDefinition::getEndpointUri)
                    .filter(uri -> uri.startsWith("direct:"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> produced = Stream.concat(
                            model.getRouteDefinitions().stream().flatMap(route -> targets(route.getOutputs().stream())),
                            model.getRouteConfigurationDefinitions().stream()
                                    .map(RouteConfigurationDefinition::getOnExceptions)
                                    .flatMap(list -> targets(list.stream().map(OnExceptionDefinition.class::cast))))
                    .filter(uri -> uri.startsWith("direct:"))
                    .collect(Collectors.toCollection(TreeSet::new));

            assertThat(produced).isNotEmpty();
            assertThat(consumed).containsAll(produced);
            assertThat(hub.camel().getRoutes()).extracting(Route::getRouteId).contains(
                    "crm-ingest", "shop-ingest", "oa-ingest",
                    "pipeline-ingest-batch", "cleanse-batch", "dedupe-batch", "enrich-batch", "store-batch");
            assertThat(hub.camel().getRoutes()).allSatisfy(route -> {
                assertThat(route.getRouteId()).matches("[a-z0-9]+(-[a-z0-9]+)+");
                assertThat(route.getDescription()).as("description of %s", route.getRouteId()).isNotBlank();
            });
            assertThat(hub.camel().getRouteController().getRouteStatus("crm-ingest").isStarted()).isTrue();
        }
    }

    private static Stream<String> targets(Stream<? extends ProcessorDefinition<?>> steps) {
        return steps.flatMap(step -> Stream.concat(
                step instanceof ToDefinition to ? Stream.of(to.getEndpointUri()) : Stream.empty(),
                targets(step.getOutputs().stream())));
    }
}
