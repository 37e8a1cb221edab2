package dev.obscura.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.hybrid.HpkePrivateKey;
import dev.obscura.crypto.keys.ViewerIdentity;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Runs only in crypto's {@code tink-android} surefire execution (see crypto/pom.xml): proves that
 * the viewer-side tests of that execution really ran on {@code tink-android} (protobuf lite,
 * shaded) and not on {@code tink} with {@code protobuf-java}, which must not be on the classpath.
 */
class TinkAndroidClasspathTest {
  private static String jarOf(Class<?> c) {
    URL where = c.getProtectionDomain().getCodeSource().getLocation();
    String path = where.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  @Test
  void tinkClassesComeFromTinkAndroid() {
    String expected = "tink-android-" + System.getProperty("obscura.tinkAndroid.version") + ".jar";
    assertEquals(expected, jarOf(Aead.class));
    assertEquals(expected, jarOf(HpkePrivateKey.class));
  }

  @Test
  void protobufIsTheShadedLiteRuntimeAndProtobufJavaIsAbsent() throws Exception {
    Class<?> lite = Class.forName("com.google.crypto.tink.shaded.protobuf.GeneratedMessageLite");
    assertTrue(jarOf(lite).startsWith("tink-android-"), jarOf(lite));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.protobuf.Message"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.protobuf.GeneratedMessage"));
  }

  @Test
  void anIdentityIsMadeWithTheAndroidFlavour() {
    ViewerIdentity id = ViewerIdentity.generate();
    assertEquals(id.publicKey(), id.publicKey());
  }
}
