package dev.obscura.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks measure the SDK as an embedder calls it: through its API, never through another
 * module's {@code internal} package (examples' ArchitectureTest cannot see this module, which
 * depends on examples' upstream modules only).
 */
class BenchmarksArchitectureTest {
  @Test
  void benchmarksUseNoModulesInternalPackage() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.obscura.benchmarks");
    assertTrue(classes.contain(FrameSealBenchmark.class), "the benchmark classes were not imported");
    for (String module : new String[] {"core", "crypto", "codec", "transport"}) {
      noClasses().that().resideInAPackage("dev.obscura.benchmarks..")
          .should().dependOnClassesThat().resideInAPackage("dev.obscura." + module + "..internal..")
          .because("internal packages are not API: a benchmark of one measures nothing a user runs")
          .check(classes);
    }
  }
}
