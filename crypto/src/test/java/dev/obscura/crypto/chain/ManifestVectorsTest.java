package dev.obscura.crypto.chain;

import static dev.obscura.crypto.testing.VectorFiles.flip;
import static dev.obscura.crypto.testing.VectorFiles.set;
import static dev.obscura.crypto.testing.VectorFiles.setLong;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.VectorFiles;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/manifest/}: one chain manifest per file, generated here from the public
 * API with deterministic keys (Ed25519 signatures are deterministic), checked byte for byte, and
 * each checked against its {@code expect:} line. Regenerate with {@code -Dobscura.regenerateVectors=true}.
 */
class ManifestVectorsTest {
  static final StreamId STREAM = StreamId.of("front-door");

  static Map<String, String> generate() {
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(2026));
    SigningKey other = SigningKey.generate(EntropySource.insecureDeterministicForTests(2027));
    List<byte[]> digests = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 3; i++) {
      byte[] d = new byte[32];
      r.nextBytes(d);
      digests.add(d);
    }
    byte[] three = ChainManifest.sign(STREAM, 40, digests, camera).encode();
    Map<String, String> out = new LinkedHashMap<>();
    add(out, camera, "valid-one-segment", "valid", "Segment 0 alone.",
        ChainManifest.sign(STREAM, 0, digests.subList(0, 1), camera).encode());
    add(out, camera, "valid-three-segments", "valid", "Segments 40..42.", three);
    add(out, camera, "other-camera", "IntegrityException",
        "Signed by another key, which its key id names: not the camera's.",
        ChainManifest.sign(STREAM, 40, digests, other).encode());
    byte[] forgedId = ChainManifest.sign(STREAM, 40, digests, other).encode();
    System.arraycopy(camera.verifyingKey().keyId(), 0, forgedId, 6 + 10 + 16, 16);
    add(out, camera, "other-camera-claiming-the-camera-key-id", "IntegrityException",
        "Signed by another key, with the camera's key id put in.", forgedId);
    add(out, camera, "flipped-digest-bit", "IntegrityException",
        "One bit of the second digest is flipped.", flip(three, 6 + 10 + 16 + 16 + 32));
    add(out, camera, "flipped-signature-bit", "IntegrityException",
        "One bit of the signature is flipped.", flip(three, three.length - 1));
    add(out, camera, "sequence-changed", "IntegrityException",
        "First and last sequence moved by one (the same length).", bumpRange(three));
    add(out, camera, "bad-magic", "MalformedDataException", "Magic is OBSN.", flip(three, 3));
    add(out, camera, "unknown-version", "MalformedDataException", "Version 2.", set(three, 4, 2));
    add(out, camera, "stream-id-length-zero", "MalformedDataException", "n = 0.", set(three, 5, 0));
    add(out, camera, "reversed-range", "MalformedDataException", "Last sequence before the first.",
        setLong(three, 6 + 10 + 8, 39));
    add(out, camera, "range-over-limit", "MalformedDataException",
        "Claims 2^40 segments in a short object: refused before any allocation.",
        setLong(three, 6 + 10 + 8, 40 + (1L << 40)));
    add(out, camera, "cut-inside-signature", "MalformedDataException", "The last byte is missing.",
        java.util.Arrays.copyOf(three, three.length - 1));
    add(out, camera, "trailing-data", "MalformedDataException", "One byte after the signature.",
        java.util.Arrays.copyOf(three, three.length + 1));
    return out;
  }

  static byte[] bumpRange(byte[] b) {
    ByteBuffer t = ByteBuffer.wrap(b.clone());
    t.putLong(16, t.getLong(16) + 1).putLong(24, t.getLong(24) + 1);
    return t.array();
  }

  static void add(Map<String, String> out, SigningKey camera, String scenario, String expect,
      String comment, byte[] manifest) {
    out.put(scenario + ".txt", "scenario: " + scenario + "\nexpect: " + expect + "\ncomment: "
        + comment + "\ncamera_public_key: " + HexFormat.of().formatHex(camera.verifyingKey().rawBytes())
        + "\nmanifest: " + HexFormat.of().formatHex(manifest) + "\n");
  }

  @Test
  void committedVectorsMatchTheGenerator() throws Exception {
    VectorFiles.check("manifest", generate());
  }

  @Test
  void everyVectorMeetsItsExpectation() throws Exception {
    int valid = VectorFiles.checkExpectations("manifest", v -> {
      byte[] bytes = HexFormat.of().parseHex(v.get("manifest"));
      ChainManifest m = ChainManifest.parse(bytes);
      m.verify(camera(v));
      assertArrayEquals(bytes, m.encode());
    }, v -> {
      VerifyingKey camera = camera(v);
      byte[] bytes = HexFormat.of().parseHex(v.get("manifest"));
      return () -> ChainManifest.parse(bytes).verify(camera);
    });
    assertEquals(2, valid);
    // checkExpectations made every other vector throw its named exception: exactly 12 of them
    assertEquals(12, VectorFiles.read("manifest").size() - valid, "invalid vectors refused");
  }

  static VerifyingKey camera(Map<String, String> vector) throws Exception {
    return VerifyingKey.fromRawBytes(HexFormat.of().parseHex(vector.get("camera_public_key")));
  }
}
