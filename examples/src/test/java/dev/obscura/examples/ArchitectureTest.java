package dev.obscura.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module boundaries the SDK promises, checked on the compiled main classes of every module
 * (the {@code examples} module sees them all on its test classpath).
 *
 * <ul>
 *   <li>the SDK never needs the CLI, and the CLI does no cryptography of its own: every security
 *       rule it applies is an SDK call;
 *   <li>{@code transport} moves ciphertext and names only: no key type, no plaintext type;
 *   <li>{@code core}'s public API speaks only Java and {@code core} types;
 *   <li>no module reaches into another module's {@code internal} package.
 * </ul>
 */
class ArchitectureTest {
  private static final String[] SDK = {
      "dev.obscura.core..", "dev.obscura.crypto..", "dev.obscura.codec..", "dev.obscura.transport.."};
  private static final String[] MODULES = {"core", "crypto", "codec", "transport", "examples"};

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    ImportOption mainOnly = location -> !location.contains("/test-classes/")
        && !location.contains("-tests.jar") && !location.contains("/generated-test-sources/");
    classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("dev.obscura");
    // A rule over an empty import passes vacuously: make sure every module is really there.
    for (String m : MODULES) {
      String p = "dev.obscura." + m;
      assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith(p)),
          "no main classes of " + m + " were imported");
    }
  }

  @Test
  void theSdkNeverNeedsTheCli() {
    noClasses().that().resideInAnyPackage(SDK)
        .should().dependOnClassesThat().resideInAPackage("dev.obscura.examples..")
        .check(classes);
  }

  /**
   * The one exception: {@code dev.obscura.examples.lab} shows a researcher's own sealing scheme for
   * the lab, which is cryptography by definition (and no rule of the tool or the SDK).
   */
  @Test
  void theCliDoesNoCryptographyOfItsOwn() {
    noClasses().that().resideInAPackage("dev.obscura.examples..")
        .and().resideOutsideOfPackage("dev.obscura.examples.lab..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "javax.crypto..", "com.google.crypto.tink..", "org.bouncycastle..")
        .orShould().dependOnClassesThat().belongToAnyOf(
            MessageDigest.class, Signature.class, KeyPairGenerator.class, SecureRandom.class)
        .because("a security rule that lives only in the CLI is one an embedder has to copy")
        .check(classes);
  }

  @Test
  void theCliExportsNoTypeButItsEntryPoints() {
    classes().that().resideInAPackage("dev.obscura.examples.cli..").and().arePublic()
        .should().haveSimpleName("ObscuraCli")
        .because("what an app needs is SDK API, not a class of the command-line tool")
        .check(classes);
  }

  @Test
  void transportTouchesNoKeyAndNoPlaintext() {
    noClasses().that().resideInAPackage("dev.obscura.transport..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.obscura.crypto..", "dev.obscura.codec..",
            "javax.crypto..", "com.google.crypto.tink..", "org.bouncycastle..")
        .orShould().dependOnClassesThat().belongToAnyOf(
            dev.obscura.core.EncodedFrame.class, dev.obscura.core.MediaSegment.class,
            dev.obscura.core.FrameSource.class, dev.obscura.core.SegmentSource.class,
            dev.obscura.core.SegmentSink.class)
        .because("the relay, the stores and the spool hold ciphertext and object names only")
        .check(classes);
  }

  @Test
  void coreExposesNoThirdPartyType() {
    codeUnits().that().areDeclaredInClassesThat().resideInAPackage("dev.obscura.core..")
        .should(speakOnlyJavaAndCore())
        .check(classes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"core", "crypto", "codec", "transport"})
  void noModuleUsesAnothersInternalPackage(String module) {
    noClasses().that().resideOutsideOfPackage("dev.obscura." + module + "..")
        .should().dependOnClassesThat().resideInAPackage("dev.obscura." + module + "..internal..")
        .because("internal packages are not API: they change without notice")
        .check(classes);
  }

  private static ArchCondition<JavaCodeUnit> speakOnlyJavaAndCore() {
    DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe("a Java or core type",
        c -> {
          JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
          String n = base.getName();
          return base.isPrimitive() || n.startsWith("java.") || n.startsWith("dev.obscura.core.");
        });
    return new ArchCondition<>("use only Java and core types in their signature") {
      @Override
      public void check(JavaCodeUnit m, ConditionEvents events) {
        boolean visible = m.getModifiers().contains(JavaModifier.PUBLIC)
            || m.getModifiers().contains(JavaModifier.PROTECTED);
        if (!m.getOwner().getModifiers().contains(JavaModifier.PUBLIC) || !visible) {
          return;
        }
        List<JavaClass> types = new ArrayList<>(m.getRawParameterTypes());
        types.add(m.getRawReturnType());
        types.addAll(m.getExceptionTypes());
        for (JavaClass t : types) {
          if (!allowed.test(t)) {
            events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
          }
        }
      }
    };
  }
}
