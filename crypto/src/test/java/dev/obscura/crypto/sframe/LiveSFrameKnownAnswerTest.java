package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers of the Obscura live format (docs/spec/live-sframe-v1.md section 7), computed
 * independently with Python's {@code hmac} and {@code cryptography} AESGCM: epoch key 00..1f,
 * stream "front-door", epoch 7, suite 0x0004, frame pts 33333 us, keyframe, "obscura live frame".
 */
class LiveSFrameKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  static final String SEALED_CTR_0 =
      "70c0d10771a575270214b38aba94cf4f5a1673e14d54390fb746c470f1c7d555f103a4f55bb8282d51b048d449";
  static final String SEALED_CTR_1000 =
      "7903e8d52512030c0119f4ae3d2388d42eccde7a378af75d540871801898e283d07e5bc3a9514a732ba7a067a07c11";

  private static EpochKey epochKey() {
    byte[] ikm = new byte[32];
    for (int i = 0; i < 32; i++) {
      ikm[i] = (byte) i;
    }
    return new EpochKey(StreamId.of("front-door"), EpochId.of(7), SecretBytes.copyFrom(ikm, InsecureSecretAccess.get()));
  }

  private static final EncodedFrame FRAME =
      new EncodedFrame(33_333, true, "obscura live frame".getBytes(StandardCharsets.US_ASCII));

  @Test
  void sealedFramesMatchTheSpecVectors() throws Exception {
    CounterStore store = CounterStore.inMemoryForTests();
    try (SFrameSender s = SFrameSender.builder(epochKey(), store).counterBlockSize(1).build()) {
      assertEquals(SEALED_CTR_0, HEX.formatHex(s.seal(FRAME)));
    }
    store.store(1000); // as after a restart whose stored high-water mark is 1000
    try (SFrameSender s = SFrameSender.builder(epochKey(), store).build()) {
      assertEquals(SEALED_CTR_1000, HEX.formatHex(s.seal(FRAME)));
    }
    try (SFrameReceiver rx = SFrameReceiver.builder(StreamId.of("front-door")).build()) {
      rx.addEpochKey(epochKey());
      assertEquals(FRAME, rx.openFrame(HEX.parseHex(SEALED_CTR_1000)));
      assertEquals(FRAME, rx.openFrame(HEX.parseHex(SEALED_CTR_0)));
    }
  }
}
