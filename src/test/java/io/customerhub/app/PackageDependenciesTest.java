package io.customerhub.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house's layout holds: {@code app} wires the hub and runs the commands and is the only package that knows every
 * other; no other package depends on it, and the packages depend on each other without a cycle, so each can be read
 * (and changed) knowing only those below it.
 */
class PackageDependenciesTest {

    private static final JavaClasses HUB = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.customerhub");

    @Test
    void thePackagesDependOnEachOtherWithoutACycle() {
        slices().matching("io.customerhub.(*)..").should().beFreeOfCycles().check(HUB);
    }

    @Test
    void onlyTheAppPackageKnowsTheApp() {
        noClasses().that().resideOutsideOfPackage("io.customerhub.app..").should().dependOnClassesThat()
                .resideInAPackage("io.customerhub.app..").check(HUB);
    }

    @Test
    void theCoreKnowsNeitherCamelNorTheStore() {
        noClasses().that().resideInAnyPackage("io.customerhub.match..", "io.customerhub.merge..", "io.customerhub.record..",
                        "io.customerhub.cleanse..", "io.customerhub.mapping..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.customerhub.store..", "java.sql..")
                .check(HUB);
    }
}
