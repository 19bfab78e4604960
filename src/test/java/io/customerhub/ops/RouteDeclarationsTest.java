package io.customerhub.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class RouteDeclarationsTest {

    @TempDir
    Path dir;

    @Test
    void theProjectsOwnRoutesDeclareNothingUnknown() {
        assertThat(RouteDeclarations.check(Path.of("routes"))).isEmpty();
    }

    @Test
    void aMisspeltParameterAnUnknownTemplateAndABadMappingAreNamedWithFileAndLine() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes.resolve("templates"));
        Files.createDirectories(routes.resolve("sources"));
        Files.writeString(routes.resolve("templates/jdbc-source.camel.yaml"), """
                - routeTemplate:
                    id: jdbc-source
                    parameters:
                      - name: source
                      - name: poll-interval
                        defaultValue: 60000
                      - name: mapping
                    from:
                      uri: timer:{{source}}
                      steps:
                        - log: polled
                """);
        Files.writeString(routes.resolve("sources/erp.camel.yaml"), """
                # the ERP
                - templatedRoute:
                    routeTemplateRef: jdbc-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                      - name: poll-intervall
                        value: 5000
                      - name: mapping
                        value: |
                          key: id
                          fields:
                            fullName: name
                            birthDay: dob
                - templatedRoute:
                    routeTemplateRef: jdbc-sorce
                    routeId: crm-ingest
                """);

        assertThat(RouteDeclarations.check(routes)).containsExactly(
                "routes/sources/erp.camel.yaml:8: erp-ingest: template jdbc-source has no parameter poll-intervall;"
                        + " did you mean poll-interval?",
                "routes/sources/erp.camel.yaml:15: erp-ingest: mapping fields.birthDay: unknown canonical field 'birthDay';"
                        + " expected one of sourceKey, sourceUpdatedAt, fullName, givenName, familyName, gender, birthDate, email,"
                        + " phone, country, province, city, district, street, postalCode, company, nationalId, customerType, deleted",
                "routes/sources/erp.camel.yaml:17: crm-ingest: no route template named jdbc-sorce; did you mean jdbc-source?");
    }

    @Test
    void aRouteIdThatDoesNotFollowItsSourceAndASyncTargetWithoutItsSourceAreNamed() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes.resolve("templates"));
        Files.createDirectories(routes.resolve("sources"));
        for (String template : new String[] {"file-source", "file-sync"}) {
            Files.writeString(routes.resolve("templates/" + template + ".camel.yaml"), """
                    - routeTemplate:
                        id: %s
                        parameters:
                          - name: source
                        from:
                          uri: timer:{{source}}
                          steps:
                            - log: read
                    """.formatted(template));
        }
        Files.writeString(routes.resolve("sources/crm.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: crm-ingest
                    parameters:
                      - { name: source, value: crm }
                - templatedRoute:
                    routeTemplateRef: file-sync
                    routeId: crm-synch
                    parameters:
                      - { name: source, value: crm }
                - templatedRoute:
                    routeTemplateRef: file-sync
                    routeId: dwh-sync
                    parameters:
                      - { name: source, value: dwh }
                """);

        assertThat(RouteDeclarations.check(routes)).containsExactly(
                "routes/sources/crm.camel.yaml:7: crm-synch: a file-sync route of source crm must have the route id crm-sync"
                        + " (sources and sync targets are found by it)",
                "routes/sources/crm.camel.yaml:12: dwh-sync: sync target dwh has no source route (dwh-ingest): what the hub"
                        + " writes there must be read back to be recognised");
    }

    @Test
    void theNearestNameIsOfferedOnlyWhenItIsNear() {
        assertThat(RouteDeclarations.nearest("batchsize", Set.of("batch-size", "source"))).isEqualTo("; did you mean batch-size?");
        assertThat(RouteDeclarations.nearest("colour", new java.util.TreeSet<>(Set.of("batch-size", "source")))).isEqualTo("; valid: batch-size, source");
    }
}
