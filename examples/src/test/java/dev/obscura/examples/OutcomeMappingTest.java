package dev.obscura.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.obscura.core.ChainBrokenException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyMismatchException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoFootageException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.Outcome;
import dev.obscura.core.TamperedSegmentException;
import dev.obscura.core.TruncatedSegmentException;
import dev.obscura.crypto.chunked.IntegrityIOException;
import dev.obscura.crypto.keys.KeyFileException;
import dev.obscura.crypto.keys.WrongPassphraseException;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.sframe.ReplayedFrameException;
import dev.obscura.crypto.sframe.TamperedFrameException;
import dev.obscura.crypto.sframe.UnknownKeyIdException;
import dev.obscura.crypto.share.WrongSharePassphraseException;
import dev.obscura.crypto.trust.EnrolmentException;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.TrustException;
import dev.obscura.transport.relay.RelayAuthException;
import dev.obscura.transport.relay.RelayClosedException;
import dev.obscura.transport.relay.RelayRefusedException;
import dev.obscura.transport.spool.SpoolFullException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every concrete public exception type of the SDK's modules (found by scanning the classpath, so
 * a new one fails here until it is given an outcome below) reports a deliberate {@link Outcome},
 * for every reason it can carry; and the CLI's exit codes follow from those outcomes.
 */
class OutcomeMappingTest {
  private static final List<String> PACKAGES = List.of("dev/obscura/core/", "dev/obscura/crypto/",
      "dev/obscura/transport/", "dev/obscura/codec/");

  /** Types whose outcome does not depend on a reason. */
  private static final Map<Class<?>, Outcome> FIXED = new HashMap<>();
  /** Types that carry a reason enum: the outcome of each reason. */
  private static final Map<Class<?>, Map<String, Outcome>> BY_REASON = new HashMap<>();

  static {
    FIXED.put(ObscuraException.class, null); // abstract in spirit: its subclasses name the outcome
    FIXED.put(IntegrityException.class, Outcome.INTEGRITY);
    FIXED.put(TamperedSegmentException.class, Outcome.INTEGRITY);
    FIXED.put(TruncatedSegmentException.class, Outcome.INTEGRITY);
    FIXED.put(ChainBrokenException.class, Outcome.INTEGRITY);
    FIXED.put(KeyMismatchException.class, Outcome.INTEGRITY);
    FIXED.put(TamperedFrameException.class, Outcome.INTEGRITY);
    FIXED.put(ReplayedFrameException.class, Outcome.INTEGRITY);
    FIXED.put(IntegrityIOException.class, Outcome.INTEGRITY); // an integrity failure through an InputStream
    // authenticated, so written by the camera's key: a streaming read reports it as integrity
    FIXED.put(dev.obscura.crypto.segment.MalformedPaddingException.class, Outcome.INTEGRITY);
    FIXED.put(KeyUnavailableException.class, Outcome.NO_KEY);
    FIXED.put(UnknownKeyIdException.class, Outcome.NO_KEY);
    FIXED.put(WrongSharePassphraseException.class, Outcome.NO_KEY);
    FIXED.put(WrongPassphraseException.class, Outcome.NO_KEY);
    FIXED.put(NotPairedException.class, Outcome.NO_KEY);
    FIXED.put(MalformedDataException.class, Outcome.MALFORMED);
    FIXED.put(dev.obscura.codec.NoFrameStampException.class, Outcome.MALFORMED);
    FIXED.put(dev.obscura.codec.MalformedMediaException.class, Outcome.MALFORMED); // carries a MalformedDataException
    FIXED.put(dev.obscura.codec.CodecChangedException.class, Outcome.IO);
    FIXED.put(NoSuchObjectException.class, Outcome.IO);
    FIXED.put(SpoolFullException.class, Outcome.IO);
    FIXED.put(RelayRefusedException.class, Outcome.IO);
    FIXED.put(RelayAuthException.class, Outcome.IO);
    FIXED.put(RelayClosedException.class, Outcome.IO);
    FIXED.put(dev.obscura.transport.nats.NatsRefusedException.class, Outcome.IO); // like the relay's refusal

    Map<String, Outcome> enrolment = new HashMap<>();
    enrolment.put("NOT_AN_OWNER", Outcome.NO_KEY);
    enrolment.put("NO_SIGNING_KEY", Outcome.NO_KEY);
    enrolment.put("SELF_REVOCATION", Outcome.USAGE);
    enrolment.put("NOT_SELF_SIGNED", Outcome.USAGE);
    enrolment.put("INVALID", Outcome.USAGE);
    enrolment.put("ALREADY_ENROLLED", Outcome.CONFLICT);
    enrolment.put("NOT_A_MEMBER", Outcome.CONFLICT);
    enrolment.put("HAS_ROSTER", Outcome.CONFLICT);
    enrolment.put("NO_ROSTER", Outcome.CONFLICT);
    enrolment.put("NO_CAMERA_KEY", Outcome.CONFLICT);
    BY_REASON.put(EnrolmentException.class, enrolment);
    Map<String, Outcome> keyFile = new HashMap<>();
    keyFile.put("MISSING", Outcome.IO);
    keyFile.put("MALFORMED", Outcome.MALFORMED);
    keyFile.put("WRONG_KIND", Outcome.USAGE);
    BY_REASON.put(KeyFileException.class, keyFile);
    Map<String, Outcome> footage = new HashMap<>();
    footage.put("NO_SEGMENTS", Outcome.CONFLICT);
    footage.put("NOT_IN_RANGE", Outcome.CONFLICT);
    footage.put("NO_SIGNED_CHAIN", Outcome.CONFLICT);
    footage.put("EMPTY_RANGE", Outcome.USAGE);
    BY_REASON.put(NoFootageException.class, footage);
    Map<String, Outcome> trust = new HashMap<>();
    for (TrustException.Reason r : TrustException.Reason.values()) {
      trust.put(r.name(), Outcome.INTEGRITY); // the store is not to be believed, whatever it did
    }
    BY_REASON.put(TrustException.class, trust);
    Map<String, Outcome> roster = new HashMap<>();
    for (RosterRejectedException.Reason r : RosterRejectedException.Reason.values()) {
      roster.put(r.name(), Outcome.INTEGRITY);
    }
    BY_REASON.put(RosterRejectedException.class, roster);
    Map<String, Outcome> event = new HashMap<>();
    for (dev.obscura.crypto.event.EventRefusedException.Reason r
        : dev.obscura.crypto.event.EventRefusedException.Reason.values()) {
      event.put(r.name(), Outcome.INTEGRITY); // forged, moved, replayed, reordered: not to be believed
    }
    BY_REASON.put(dev.obscura.crypto.event.EventRefusedException.class, event);
    Map<String, Outcome> exhausted = new HashMap<>();
    for (dev.obscura.core.CounterExhaustedException.Counter c : dev.obscura.core.CounterExhaustedException.Counter.values()) {
      exhausted.put(c.name(), Outcome.CONFLICT); // a counter at its ceiling: record to another stream
    }
    BY_REASON.put(dev.obscura.core.CounterExhaustedException.class, exhausted);
  }

  @Test
  void everyPublicExceptionTypeHasADeliberateOutcome() throws Exception {
    TreeSet<String> found = new TreeSet<>();
    List<String> unmapped = new ArrayList<>();
    for (Class<?> c : exceptionTypes()) {
      found.add(c.getName());
      if (c == ObscuraException.class) {
        assertEquals(Outcome.CONFLICT, new ObscuraException(Outcome.CONFLICT, "x").outcome());
        continue;
      }
      if (BY_REASON.containsKey(c)) {
        Map<String, Outcome> expected = BY_REASON.get(c);
        Constructor<?> ctor = reasonConstructor(c);
        Class<?> reasonType = reasonType(ctor);
        for (Object reason : reasonType.getEnumConstants()) {
          Outcome want = expected.get(((Enum<?>) reason).name());
          if (want == null) {
            unmapped.add(c.getSimpleName() + "." + reason);
            continue;
          }
          Throwable t = (Throwable) ctor.newInstance(arguments(ctor, reason));
          assertEquals(want, Outcome.of(t), c.getSimpleName() + " " + reason);
        }
      } else if (FIXED.containsKey(c)) {
        Constructor<?> ctor = anyConstructor(c);
        Throwable t = (Throwable) ctor.newInstance(arguments(ctor, null));
        assertEquals(FIXED.get(c), Outcome.of(t), c.getSimpleName());
      } else {
        unmapped.add(c.getName());
      }
    }
    if (!unmapped.isEmpty()) {
      fail("exception types (or reasons) without a deliberate outcome: map them in the SDK and here: " + unmapped);
    }
    for (Class<?> c : FIXED.keySet()) {
      assertTrue(found.contains(c.getName()), "the scan did not find " + c.getName() + " (found " + found + ")");
    }
    for (Class<?> c : BY_REASON.keySet()) {
      assertTrue(found.contains(c.getName()), "the scan did not find " + c.getName());
    }
  }

  @Test
  void ioFailuresAndEverythingElse() {
    assertEquals(Outcome.IO, Outcome.of(new IOException("disk")));
    assertEquals(Outcome.IO, Outcome.of(new UncheckedIOException(new IOException("disk"))));
    assertEquals(Outcome.INTEGRITY, Outcome.of(new UncheckedIOException(
        new IntegrityIOException(new TamperedSegmentException("x")))));
    assertEquals(Outcome.INTERNAL, Outcome.of(new IllegalStateException("bug")));
  }

  /** Every public, concrete Throwable in the SDK modules' packages on the test classpath. */
  static List<Class<?>> exceptionTypes() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          files.map(f -> p.relativize(f).toString().replace(File.separatorChar, '/')).forEach(n -> add(names, n));
        }
      } else if (entry.endsWith(".jar") && Files.isRegularFile(p) && p.getFileName().toString().startsWith("obscura-")) {
        try (JarFile jar = new JarFile(p.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            add(names, e.nextElement().getName());
          }
        }
      }
    }
    List<Class<?>> out = new ArrayList<>();
    for (String n : names) {
      Class<?> c;
      try {
        c = Class.forName(n, false, OutcomeMappingTest.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        continue;
      }
      if (Throwable.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())
          && !Modifier.isAbstract(c.getModifiers())) {
        out.add(c);
      }
    }
    return out;
  }

  private static void add(TreeSet<String> names, String path) {
    if (path.endsWith(".class") && !path.contains("$") && PACKAGES.stream().anyMatch(path::startsWith)) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }

  private static Constructor<?> reasonConstructor(Class<?> c) {
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (reasonType(k) != null) {
        k.setAccessible(true);
        return k;
      }
    }
    throw new AssertionError(c + " has no constructor taking its reason");
  }

  private static Class<?> reasonType(Constructor<?> k) {
    for (Class<?> t : k.getParameterTypes()) {
      if (t.isEnum()) {
        return t;
      }
    }
    return null;
  }

  private static Constructor<?> anyConstructor(Class<?> c) {
    Constructor<?>[] all = c.getDeclaredConstructors();
    java.util.Arrays.sort(all, (a, b) -> Integer.compare(a.getParameterCount(), b.getParameterCount()));
    all[0].setAccessible(true);
    return all[0];
  }

  private static Object[] arguments(Constructor<?> k, Object reason) {
    Class<?>[] types = k.getParameterTypes();
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      if (t.isEnum()) {
        args[i] = reason;
      } else if (t == String.class) {
        args[i] = "x";
      } else if (t == int.class) {
        args[i] = 0;
      } else if (t == long.class) {
        args[i] = 0L;
      } else if (t == boolean.class) {
        args[i] = false;
      } else if (t == Path.class) {
        args[i] = Paths.get("x");
      } else if (t.isAssignableFrom(TamperedSegmentException.class)) {
        args[i] = new TamperedSegmentException("x");
      } else if (t == MalformedDataException.class) {
        args[i] = new MalformedDataException("x");
      } else if (t.isPrimitive()) {
        throw new AssertionError("no test value for " + t + " in " + k);
      }
    }
    return args;
  }
}
