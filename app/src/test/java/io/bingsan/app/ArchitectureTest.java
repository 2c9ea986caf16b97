package io.bingsan.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Dependencies point inward only: adapters → ports → domain; app wires them. */
class ArchitectureTest {
  private static final String[] FRAMEWORKS = {
    "io.dropwizard..", "org.jdbi..", "org.glassfish..", "jakarta.ws.rs..", "jakarta.servlet..",
    "org.eclipse.jetty..", "org.postgresql..", "liquibase..", "io.zonky..", "software.amazon..",
    "com.google.cloud..", "org.apache.hadoop.."
  };

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.bingsan");

  private static ArchRule noFrameworksIn(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS);
  }

  @Test
  void domainAndPortsUseNoFrameworkOrSdk() {
    noFrameworksIn("io.bingsan.domain..", "io.bingsan.ports..", "io.bingsan.service..")
        .check(CLASSES);
  }

  @Test
  void domainDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.bingsan.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.bingsan.ports..", "io.bingsan.service..", "io.bingsan.adapters..", "io.bingsan.app..")
        .check(CLASSES);
  }

  @Test
  void portsAndServicesDoNotKnowTheAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage("io.bingsan.ports..", "io.bingsan.service..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.bingsan.adapters..", "io.bingsan.app..")
        .check(CLASSES);
  }

  @Test
  void adaptersDoNotKnowEachOtherOrTheApp() {
    for (String adapter : new String[] {"postgres", "objectstore", "rest"}) {
      noClasses()
          .that()
          .resideInAPackage("io.bingsan.adapters." + adapter + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.bingsan.app..")
          .orShould()
          .dependOnClassesThat(
              com.tngtech.archunit.base.DescribedPredicate.describe(
                  "another adapter",
                  c ->
                      c.getPackageName().startsWith("io.bingsan.adapters.")
                          && !c.getPackageName().startsWith("io.bingsan.adapters." + adapter)))
          .check(CLASSES);
    }
  }

  @Test
  void canaryTheFrameworkRuleCatchesAViolation() {
    // The PostgreSQL adapter uses JDBI by design, so the same rule must fail there: proof the rule bites.
    assertThatThrownBy(() -> noFrameworksIn("io.bingsan.adapters.postgres..").check(CLASSES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("org.jdbi");
  }
}
