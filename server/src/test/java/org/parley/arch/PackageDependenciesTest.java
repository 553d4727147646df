package org.parley.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure as rules on the compiled classes. The core layers point one way:
 * {@code session} (what a session is) ← {@code route} (the router and directory) ← {@code module}
 * (the module API) ← {@code c2s} (client streams over any transport) ← {@code net} (Netty
 * transports); a cycle between any of them breaks one of these rules.
 */
class PackageDependenciesTest {
    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.parley");

    @Test
    void sessionDependsOnNoLayerAboveIt() {
        noClasses().that().resideInAPackage("org.parley.session..")
                .should().dependOnClassesThat().resideInAnyPackage("org.parley.route..", "org.parley.module..",
                        "org.parley.c2s..", "org.parley.net..")
                .check(SERVER);
    }

    @Test
    void routeDependsOnNoLayerAboveIt() {
        noClasses().that().resideInAPackage("org.parley.route..")
                .should().dependOnClassesThat().resideInAnyPackage("org.parley.module..", "org.parley.c2s..",
                        "org.parley.net..")
                .check(SERVER);
    }

    @Test
    void moduleDependsOnNoLayerAboveIt() {
        noClasses().that().resideInAPackage("org.parley.module..")
                .should().dependOnClassesThat().resideInAnyPackage("org.parley.c2s..", "org.parley.net..")
                .check(SERVER);
    }

    @Test
    void clientStreamsKnowNoTransport() {
        noClasses().that().resideInAPackage("org.parley.c2s..")
                .should().dependOnClassesThat().resideInAnyPackage("org.parley.net..", "io.netty..")
                .check(SERVER);
    }

    /** Features and the other packages build on the core; none of them may close a loop. */
    @Test
    void noPackagesFormACycle() {
        slices().matching("org.parley.(*)..").should().beFreeOfCycles().check(SERVER);
    }
}
