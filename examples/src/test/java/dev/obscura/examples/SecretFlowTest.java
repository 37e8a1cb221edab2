package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * Two rules ArchUnit alone cannot state, checked on the bytecode of every main class of the SDK
 * and the CLI:
 *
 * <ul>
 *   <li><b>No class logs a secret type, or turns one into text.</b> A secret type is one that
 *       holds key material: {@code SecretBytes}, {@link java.security.PrivateKey}, {@link
 *       javax.crypto.SecretKey}, a Tink {@code KeysetHandle}, and (to a fixed point) every class of
 *       ours with a field of a secret type. At every call to an SLF4J logger, every string
 *       concatenation, {@code StringBuilder.append(Object)}, {@code String.valueOf}, {@code
 *       String.format} and {@code Objects.toString}, the static type of each operand is read off the
 *       verifier's frame (ASM's {@link SimpleVerifier}); an {@code Object[]} (a logger's varargs)
 *       is refused a secret element when stored. A redacting {@code toString()} is a second line of
 *       defence, not a licence to log.
 *   <li><b>No production class holds a mutable static hook.</b> Every static field is final, no
 *       code outside a static initializer writes a static field, and no static field is of a
 *       mutable-holder or callback type (an {@code AtomicReference}, a {@code Consumer}, ...): a
 *       switch that a test can flip is one an attacker in the same process can flip.
 * </ul>
 *
 * Each rule has a positive control: a fixture class in this test tree that breaks it, so a rule
 * that silently stopped seeing anything would fail.
 */
class SecretFlowTest {
  private static final Set<String> ROOT_SECRETS = Set.of(
      "dev.obscura.crypto.keys.SecretBytes",
      "java.security.PrivateKey",
      "javax.crypto.SecretKey",
      "com.google.crypto.tink.KeysetHandle");

  /** Types a static field may not have, even when final: a hook by another name. */
  private static final Set<String> HOOK_TYPES = Set.of(
      "java.util.concurrent.atomic.AtomicReference", "java.util.concurrent.atomic.AtomicBoolean",
      "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicLong",
      "java.lang.Runnable", "java.util.concurrent.Callable", "java.lang.ThreadLocal");

  private static List<ClassNode> mainClasses;
  private static Set<String> secretTypes;

  @BeforeAll
  static void load() {
    JavaClasses imported = new ClassFileImporter()
        .withImportOption(location -> !location.contains("/test-classes/")
            && !location.contains("-tests.jar") && !location.contains("/generated-test-sources/"))
        .importPackages("dev.obscura");
    mainClasses = new ArrayList<>();
    for (JavaClass c : imported) {
      mainClasses.add(node(c.getName()));
    }
    for (String m : new String[] {"core", "crypto", "codec", "transport", "examples", "lab"}) {
      assertTrue(mainClasses.stream().anyMatch(c -> c.name.startsWith("dev/obscura/" + m + "/")),
          "no main classes of " + m + " were loaded");
    }
    secretTypes = secretTypesOf(mainClasses);
  }

  /**
   * The secret roots plus every class of ours that holds one in an instance field, to a fixed
   * point (internal names). A field whose type is not on the classpath (an optional dependency)
   * holds no secret of ours.
   */
  static Set<String> secretTypesOf(List<ClassNode> classes) {
    Set<String> secret = new LinkedHashSet<>();
    for (String n : ROOT_SECRETS) {
      load(n);
      secret.add(n.replace('.', '/'));
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ClassNode c : classes) {
        if (isSecret(Type.getObjectType(c.name), secret)) {
          continue;
        }
        for (FieldNode f : c.fields) {
          if ((f.access & Opcodes.ACC_STATIC) == 0 && isSecret(Type.getType(f.desc), secret)) {
            grew |= secret.add(c.name);
            break;
          }
        }
      }
    }
    return secret;
  }

  static boolean isSecret(Type type, Set<String> secret) {
    Type t = type;
    while (t.getSort() == Type.ARRAY) {
      t = t.getElementType();
    }
    if (t.getSort() != Type.OBJECT) {
      return false;
    }
    if (secret.contains(t.getInternalName())) {
      return true;
    }
    Class<?> k = tryLoad(t.getClassName(), SecretFlowTest.class.getClassLoader());
    if (k == null) {
      return false;
    }
    for (String s : secret) {
      Class<?> sc = tryLoad(s.replace('/', '.'), SecretFlowTest.class.getClassLoader());
      if (sc != null && sc.isAssignableFrom(k)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theSecretTypesAreTheOnesThatHoldKeys() {
    Set<String> names = secretTypes.stream().map(n -> n.replace('/', '.')).collect(Collectors.toSet());
    for (String n : List.of("dev.obscura.crypto.keys.EpochKey", "dev.obscura.crypto.sign.SigningKey",
        "dev.obscura.crypto.cenc.CencKey", "dev.obscura.crypto.trust.PairingCode",
        "dev.obscura.crypto.keys.ViewerIdentity", "dev.obscura.crypto.keys.CameraIdentity")) {
      assertTrue(names.contains(n), n + " holds key material but is not seen as a secret type: "
          + new TreeSet<>(names));
    }
    assertTrue(!names.contains("dev.obscura.crypto.keys.ViewerPublicKey"),
        "a public key is not a secret type");
  }

  @Test
  void noClassLogsASecretTypeOrTurnsOneIntoText() {
    List<String> violations = new ArrayList<>();
    for (ClassNode c : mainClasses) {
      violations.addAll(secretToText(c, secretTypes));
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void theSecretRuleSeesALoggedKey() {
    Set<String> secret = new HashSet<>(secretTypes);
    secret.add(Type.getInternalName(Fixtures.Held.class));
    List<String> found = secretToText(node(Fixtures.LogsAKey.class.getName()), secret);
    // the logger call, the concatenation, the varargs element and StringBuilder.append
    assertEquals(4, found.size(), String.join("\n", found));
    assertEquals(List.of(), secretToText(node(Fixtures.LogsOnlyALength.class.getName()), secret));
  }

  @Test
  void noProductionClassHoldsAMutableStaticHook() {
    List<String> violations = new ArrayList<>();
    for (ClassNode c : mainClasses) {
      violations.addAll(mutableStatics(c));
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void theHookRuleSeesAHook() {
    List<String> hooks = mutableStatics(node(Fixtures.HasAHook.class.getName()));
    assertEquals(3, hooks.size(), String.join("\n", hooks));
    assertEquals(List.of(), mutableStatics(node(Fixtures.Constants.class.getName())));
  }

  // ---------------------------------------------------------------------------------------------

  static List<String> mutableStatics(ClassNode c) {
    List<String> out = new ArrayList<>();
    String name = c.name.replace('/', '.');
    for (FieldNode f : c.fields) {
      if ((f.access & Opcodes.ACC_STATIC) == 0 || (f.access & Opcodes.ACC_SYNTHETIC) != 0) {
        continue;
      }
      String type = Type.getType(f.desc).getClassName();
      if ((f.access & Opcodes.ACC_FINAL) == 0) {
        out.add(name + "." + f.name + " is a static field that is not final");
      } else if (HOOK_TYPES.contains(type) || type.startsWith("java.util.function.")) {
        out.add(name + "." + f.name + " is a static " + type + ", a hook by another name");
      }
    }
    for (MethodNode m : c.methods) {
      if (m.name.equals("<clinit>")) {
        continue;
      }
      for (AbstractInsnNode insn : m.instructions) {
        if (insn.getOpcode() == Opcodes.PUTSTATIC) {
          FieldInsnNode f = (FieldInsnNode) insn;
          out.add(name + "." + m.name + " writes the static field " + f.owner.replace('/', '.')
              + "." + f.name);
        }
      }
    }
    return out;
  }

  static List<String> secretToText(ClassNode node, Set<String> secret) {
    List<String> out = new ArrayList<>();
    ClassLoader loader = SecretFlowTest.class.getClassLoader();
    String name = node.name.replace('/', '.');
    for (MethodNode m : node.methods) {
      if (m.instructions.size() == 0) {
        continue;
      }
      SimpleVerifier verifier = new SimpleVerifier(Opcodes.ASM9,
          Type.getObjectType(node.name), node.superName == null ? null : Type.getObjectType(node.superName),
          node.interfaces.stream().map(Type::getObjectType).collect(Collectors.toList()),
          (node.access & Opcodes.ACC_INTERFACE) != 0) {
        @Override
        protected Class<?> getClass(Type type) {
          // a type of an optional dependency that is not on this classpath merges as Object
          Class<?> k = tryLoad(type.getSort() == Type.ARRAY ? type.getDescriptor().replace('/', '.')
              : type.getClassName(), loader);
          return k != null ? k : Object.class;
        }
      };
      verifier.setClassLoader(loader);
      Frame<BasicValue>[] frames;
      try {
        frames = new Analyzer<>(verifier).analyze(node.name, m);
      } catch (AnalyzerException e) {
        throw new AssertionError("cannot analyse " + name + "." + m.name, e);
      }
      Function<BasicValue, Boolean> isSecretValue = v -> {
        if (v == null || v.getType() == null || v.getType().getSort() != Type.OBJECT
            && v.getType().getSort() != Type.ARRAY) {
          return false;
        }
        return isSecret(v.getType(), secret);
      };
      for (int i = 0; i < m.instructions.size(); i++) {
        AbstractInsnNode insn = m.instructions.get(i);
        Frame<BasicValue> f = frames[i];
        if (f == null) {
          continue; // unreachable
        }
        String where = name + "." + m.name;
        if (insn instanceof MethodInsnNode) {
          MethodInsnNode call = (MethodInsnNode) insn;
          String what = textSink(call);
          if (what != null) {
            int args = Type.getArgumentTypes(call.desc).length;
            for (int a = 0; a < args; a++) {
              BasicValue v = f.getStack(f.getStackSize() - args + a);
              if (isSecretValue.apply(v)) {
                out.add(where + " passes a " + v.getType().getClassName() + " to " + what);
              }
            }
          }
        } else if (insn instanceof InvokeDynamicInsnNode) {
          InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
          if (indy.bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
            int args = Type.getArgumentTypes(indy.desc).length;
            for (int a = 0; a < args; a++) {
              BasicValue v = f.getStack(f.getStackSize() - args + a);
              if (isSecretValue.apply(v)) {
                out.add(where + " concatenates a " + v.getType().getClassName() + " into a string");
              }
            }
          }
        } else if (insn instanceof InsnNode && insn.getOpcode() == Opcodes.AASTORE) {
          BasicValue array = f.getStack(f.getStackSize() - 3);
          BasicValue value = f.getStack(f.getStackSize() - 1);
          if (array.getType() != null && array.getType().getDescriptor().equals("[Ljava/lang/Object;")
              && isSecretValue.apply(value)) {
            out.add(where + " puts a " + value.getType().getClassName() + " in an Object[]");
          }
        }
      }
    }
    return out;
  }

  /** The calls that turn their arguments into text, or hand them to a log. */
  private static String textSink(MethodInsnNode call) {
    String owner = call.owner;
    if (owner.equals("org/slf4j/Logger") || owner.startsWith("org/slf4j/spi/")
        || owner.equals("java/lang/System$Logger")) {
      return "the logger (" + call.name + ")";
    }
    boolean objectArg = call.desc.contains("Ljava/lang/Object;");
    if ((owner.equals("java/lang/StringBuilder") || owner.equals("java/lang/StringBuffer"))
        && call.name.equals("append") && objectArg) {
      return owner.substring(owner.lastIndexOf('/') + 1) + ".append";
    }
    if (owner.equals("java/lang/String") && (call.name.equals("valueOf") || call.name.equals("format"))) {
      return "String." + call.name;
    }
    if (owner.equals("java/util/Objects") && call.name.equals("toString")) {
      return "Objects.toString";
    }
    if (owner.equals("java/io/PrintStream") && objectArg) {
      return "PrintStream." + call.name;
    }
    return null;
  }

  private static ClassNode node(String className) {
    String resource = className.replace('.', '/') + ".class";
    try (InputStream in = SecretFlowTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("no class file for " + className);
      }
      ClassNode node = new ClassNode();
      new ClassReader(in.readAllBytes()).accept(node, ClassReader.SKIP_FRAMES);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Class<?> load(String name) {
    Class<?> c = tryLoad(name, SecretFlowTest.class.getClassLoader());
    if (c == null) {
      throw new AssertionError("secret root type " + name + " is not on the classpath");
    }
    return c;
  }

  private static Class<?> tryLoad(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader != null ? loader : ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /** Positive controls: classes that break each rule (test code, never imported as main code). */
  static final class Fixtures {
    static final class Held {
      final byte[] key = new byte[32];
    }

    static final class LogsAKey {
      private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogsAKey.class);

      String leak(Held h) {
        LOG.debug("key {}", h);
        LOG.info("two {} {}", 1, h);
        StringBuilder b = new StringBuilder().append(h);
        return "key=" + h + b;
      }
    }

    static final class LogsOnlyALength {
      private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogsOnlyALength.class);

      void fine(Held h) {
        LOG.debug("key of {} bytes", h.key.length);
      }
    }

    static final class HasAHook {
      static Runnable onSeal;
      static final java.util.concurrent.atomic.AtomicReference<String> MODE =
          new java.util.concurrent.atomic.AtomicReference<>("real");

      static void setForTest(Runnable r) {
        onSeal = r;
      }
    }

    static final class Constants {
      static final int SIZE = 4;
      static final List<String> NAMES = List.of("a");
    }
  }
}
