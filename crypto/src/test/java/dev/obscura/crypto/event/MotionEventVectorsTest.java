package dev.obscura.crypto.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.VectorFiles;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/motion-event/}: sealed motion events generated here from the API with
 * deterministic keys and randomness, checked byte for byte and opened by the spec's steps.
 * Regenerate with {@code -Dobscura.regenerateVectors=true}.
 */
class MotionEventVectorsTest {
  static final StreamId STREAM = StreamId.of("front-door");
  static final Instant T = Instant.parse("2026-12-01T08:30:00Z");

  static Map<String, String> generate() {
    byte[] k = new byte[32];
    for (int i = 0; i < 32; i++) {
      k[i] = (byte) i;
    }
    EpochKey epochKey = new EpochKey(STREAM, EpochId.of(7), SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    SigningKey camera = SigningKey.generate(EntropySource.insecureDeterministicForTests(2026));
    MotionEventSealer sealer = new MotionEventSealer(epochKey, camera, EntropySource.insecureDeterministicForTests(7));
    byte[] thumb = new byte[64];
    for (int i = 0; i < thumb.length; i++) {
      thumb[i] = (byte) (0xa0 + i);
    }
    byte[] valid = sealer.seal(new MotionEventDraft(T, T.plusMillis(2500), T.plusSeconds(1), thumb), 120, 121).bytes();
    byte[] flipped = valid.clone();
    flipped[MotionEventFormat.headerBytes(STREAM) + 10] ^= 1;
    Map<String, String> out = new LinkedHashMap<>();
    String content = "\nsequence: 0"
        + "\nstart_micros: " + micros(T) + "\nend_micros: " + micros(T.plusMillis(2500))
        + "\npeak_micros: " + micros(T.plusSeconds(1)) + "\nfirst_segment: 120\nlast_segment: 121"
        + "\nthumbnail: " + Hex.format(thumb);
    add(out, "valid", "valid", "Epoch 7 of front-door, event #0, segments 120..121, a 64-byte thumbnail, one 16 KiB bucket.",
        epochKey, camera, valid, content);
    add(out, "flipped-ciphertext-bit", "EventRefusedException",
        "One ciphertext bit flipped: the camera's signature no longer verifies.", epochKey, camera, flipped, "");
    return out;
  }

  static void add(Map<String, String> out, String scenario, String expect, String comment, EpochKey epochKey,
      SigningKey camera, byte[] sealed, String content) {
    byte[] eventKey = MotionEventFormat.deriveKey(epochKey);
    out.put(scenario + ".txt", "scenario: " + scenario + "\nexpect: " + expect + "\ncomment: " + comment
        + "\nstream: " + STREAM + "\nepoch: " + epochKey.epoch().value()
        + "\nepoch_key: " + Hex.format(epochKey.secret().toByteArray(InsecureSecretAccess.get()))
        + "\nevent_key: " + Hex.format(eventKey)
        + "\ncamera_public_key: " + Hex.format(camera.verifyingKey().rawBytes()) + content
        + "\nsealed_length: " + sealed.length
        + "\nsealed: " + Hex.format(sealed) + "\n");
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /** The spec's opening steps, on one vector. */
  static MotionEventFormat.Content open(Map<String, String> v) throws Exception {
    byte[] sealed = Hex.parse(v.get("sealed"));
    MotionEventFormat.Header h = MotionEventFormat.parseHeader(sealed);
    VerifyingKey camera = VerifyingKey.fromRawBytes(Hex.parse(v.get("camera_public_key")));
    try {
      camera.verify(SignaturePurpose.MOTION_EVENT, MotionEventFormat.signedPart(sealed),
          MotionEventFormat.signature(sealed));
    } catch (dev.obscura.core.IntegrityException e) {
      throw new EventRefusedException(EventRefusedException.Reason.SIGNATURE, e.getMessage());
    }
    EpochKey epochKey = new EpochKey(h.stream(), h.epoch(),
        SecretBytes.copyFrom(Hex.parse(v.get("epoch_key")), InsecureSecretAccess.get()));
    byte[] eventKey = MotionEventFormat.deriveKey(epochKey);
    assertArrayEquals(Hex.parse(v.get("event_key")), eventKey);
    return MotionEventFormat.open(eventKey, sealed, h);
  }

  @Test
  void committedVectorsAreWhatTheCodeMakes() throws Exception {
    VectorFiles.check("motion-event", generate());
  }

  @Test
  void vectorsOpenOrAreRefusedAsTheySay() throws Exception {
    for (Map<String, String> v : VectorFiles.read("motion-event")) {
      if (v.get("expect").equals("valid")) {
        MotionEventFormat.Content c = open(v);
        assertEquals(T, c.start());
        assertEquals(T.plusMillis(2500), c.end());
        assertEquals(120, c.firstSegment());
        assertEquals(121, c.lastSegment());
        assertEquals(64, c.thumbnail().length);
        // the decoded content the file states, for readers in other languages
        assertEquals(MotionEventFormat.parseHeader(Hex.parse(v.get("sealed"))).sequence(), Long.parseLong(v.get("sequence")));
        assertEquals(micros(c.start()), Long.parseLong(v.get("start_micros")));
        assertEquals(micros(c.end()), Long.parseLong(v.get("end_micros")));
        assertEquals(micros(c.peak()), Long.parseLong(v.get("peak_micros")));
        assertEquals(c.firstSegment(), Long.parseLong(v.get("first_segment")));
        assertEquals(c.lastSegment(), Long.parseLong(v.get("last_segment")));
        assertArrayEquals(c.thumbnail(), Hex.parse(v.get("thumbnail")));
        assertEquals(16384, Integer.parseInt(v.get("sealed_length")));
      } else {
        assertThrows(EventRefusedException.class, () -> open(v), v.get("scenario"));
      }
    }
  }
}
