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

    /**
     * The project's own templates: a value is held to the type of the option its parameter sets, nested ones too: a whole
     * number, a flag, one of a mode's values (a timer's period, such as poll-interval, takes 30s as Camel does; a
     * placeholder is resolved later).
     */
    @Test
    void aValueOfTheWrongTypeIsNamedWithFileAndLine() throws Exception {
        Path routes = dir.resolve("routes");
        copy(Path.of("routes/templates"), routes.resolve("templates"));
        Files.createDirectories(routes.resolve("sources"));
        Files.writeString(routes.resolve("sources/shop.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: http-source
                    routeId: shop-ingest
                    parameters:
                      - { name: source, value: shop }
                      - { name: url, value: "https://api.example.com/customers" }
                      - { name: mapping, value: "key: id" }
                      - { name: poll-interval, value: 30s }
                      - { name: read-timeout, value: "{{shop.read-timeout}}" }
                      - { name: connect-timeout, value: 5 seconds }
                      - { name: page-size, value: many }
                      - { name: paging, value: pages }
                - templatedRoute:
                    routeTemplateRef: file-sync
                    routeId: shop-sync
                    parameters:
                      - { name: source, value: shop }
                      - { name: format, value: csv }
                      - { name: mapping, value: "key: id" }
                      - { name: bom, value: "yes" }
                """);

        assertThat(RouteDeclarations.check(routes)).containsExactly(
                "routes/sources/shop.camel.yaml:10: shop-ingest: parameter connect-timeout: '5 seconds' is not a whole number"
                        + " (at most 2147483647)",
                "routes/sources/shop.camel.yaml:11: shop-ingest: parameter page-size: 'many' is not a whole number (at most 2147483647)",
                "routes/sources/shop.camel.yaml:12: shop-ingest: parameter paging: expected one of none, page, offset, next-link,"
                        + " cursor-token, keyset but was 'pages'",
                "routes/sources/shop.camel.yaml:20: shop-sync: parameter bom: 'yes' is neither true nor false");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
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
