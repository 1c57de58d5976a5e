package io.granary.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The hexagon's boundaries, checked on the compiled main classes of every module. */
@AnalyzeClasses(packages = "io.granary", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
final class ArchitectureTest {

    /** Test-jars (core's fakes) are not production code. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    @ArchTest
    static final ArchRule coreDependsOnTheJdkOnly = classes().that().resideInAPackage("io.granary.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "io.granary.core..", "io.granary.spi..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule spiDependsOnTheJdkOnly = classes().that().resideInAPackage("io.granary.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "io.granary.spi..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule providersDependOnTheSpiOnly = classes().that().resideInAPackage("io.granary.provider..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "io.granary.spi..", "io.granary.provider..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule providersDoNotDependOnEachOther = slices().matching("io.granary.provider.(*)..")
            .should().notDependOnEachOther()
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule sqliteAdapterStandsAlone = noClasses().that().resideInAPackage("io.granary.adapter.sqlite..")
            .should().dependOnClassesThat().resideInAnyPackage("io.granary.adapter.http..", "io.granary.provider..", "io.granary.app..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule httpAdapterStandsAlone = noClasses().that().resideInAPackage("io.granary.adapter.http..")
            .should().dependOnClassesThat().resideInAnyPackage("io.granary.adapter.sqlite..", "io.granary.provider..", "io.granary.app..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule nothingDependsOnTheApp = noClasses().that().resideOutsideOfPackage("io.granary.app..")
            .should().dependOnClassesThat().resideInAPackage("io.granary.app..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule coreServicesNeverSeeAdapters = noClasses().that().resideInAPackage("io.granary.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.granary.adapter..", "io.granary.provider..")
            .allowEmptyShould(false);

    /** The app sees the storage port; only the factory that picks the adapter names one. */
    @ArchTest
    static final ArchRule appSeesOnlyTheStoragePort = noClasses().that().resideInAPackage("io.granary.app..")
            .and().doNotHaveSimpleName("StorageFactory")
            .should().dependOnClassesThat().resideInAnyPackage("io.granary.adapter.sqlite..", "io.granary.adapter.postgres..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule postgresAdapterStandsAlone = noClasses().that().resideInAPackage("io.granary.adapter.postgres..")
            .should().dependOnClassesThat().resideInAnyPackage("io.granary.adapter.sqlite..", "io.granary.adapter.http..",
                    "io.granary.provider..", "io.granary.app..")
            .allowEmptyShould(false);
}
