package dev.obscura.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo 4.3.2 asks for protobuf-java 3.25.x, Tink for 4.x; the lab's POM keeps Tink's. One JVM
 * runs both on the resolved classpath: a Tink HPKE keyset written and read through crypto's key
 * files, a Tribuo training run, and Tribuo's own protobuf serialisation of the model.
 */
class ProtobufClasspathTest {
  @TempDir Path dir;

  @Test
  void tinkKeysetsAndTribuoTrainingShareOneProtobuf() throws Exception {
    // by name: the lab names no protobuf class (it comes with Tink, through crypto)
    Class<?> message = Class.forName("com.google.protobuf.Message");
    String where = message.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(where.contains("protobuf-java-4."), "protobuf-java on the classpath: " + where);

    // Tink: an HPKE X25519 keyset, protected and serialised, read back
    KeyProtection protection = KeyProtection.platformKey(dir.resolve("platform.key"));
    ViewerIdentity id = ViewerIdentity.generate();
    ViewerIdentity back = ViewerIdentity.fromProtectedBytes(id.toProtectedBytes(protection), protection);
    assertEquals(id.publicKey(), back.publicKey());

    // Tribuo: train a logistic regression that must separate two clusters
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> data = new MutableDataset<>(
        new SimpleDataSourceProvenance("protobuf-test", OffsetDateTime.now(), factory), factory);
    String[] names = {"x", "y"};
    for (int i = 0; i < 50; i++) {
      data.add(new ArrayExample<>(new Label("a"), names, new double[] {1 + i % 5 * 0.01, 1}));
      data.add(new ArrayExample<>(new Label("b"), names, new double[] {-1 - i % 5 * 0.01, -1}));
    }
    Model<Label> model = new LogisticRegressionTrainer().train(data);
    assertEquals("a", model.predict(new ArrayExample<>(new Label("a"), names, new double[] {1, 1})).getOutput().getLabel());
    // Tribuo's generated protobuf code (3.25) on protobuf-java 4.x
    assertTrue(model.serialize().toByteArray().length > 0, "Tribuo model proto on " + where);
  }
}
