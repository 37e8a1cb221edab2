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
 * stream "front-door", epoch 7, suite 0x0004, live frame version 2: pts 33333 us, keyframe, capture
 * time 1700000000000000 us (2023-11-14T22:13:20Z), "obscura live frame".
 */
class LiveSFrameKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();
  static final String SEALED_CTR_0 =
      "70c3d10771a575270214b3e5deed8822363753e246513f5aa3558571fdd3008d9675c9ba890c9b66d17ca52a8f4e072bc0d0678312";
  static final String SEALED_CTR_1000 =
      "7903e8d62512030c0119f4ae3d4cecad69a1b25b1789fc58525d65935999ee14fe3fe2241a1dcb473dbccb4b9ea732291b05a0cc1981d6";

  private static EpochKey epochKey() {
    byte[] ikm = new byte[32];
    for (int i = 0; i < 32; i++) {
      ikm[i] = (byte) i;
    }
    return new EpochKey(StreamId.of("front-door"), EpochId.of(7), SecretBytes.copyFrom(ikm, InsecureSecretAccess.get()));
  }

  private static final EncodedFrame FRAME =
      new EncodedFrame(33_333, true, "obscura live frame".getBytes(StandardCharsets.US_ASCII));
  private static final long CAPTURE_MICROS = 1_700_000_000_000_000L;
  static final String PLAINTEXT =
      "0201000000000000823500060a24181e40006f627363757261206c697665206672616d65";

  @Test
  void sealedFramesMatchTheSpecVectors() throws Exception {
    CounterStore store = CounterStore.inMemoryForTests();
    try (SFrameSender s = SFrameSender.builder(epochKey(), store).counterBlockSize(1).build()) {
      assertEquals(SEALED_CTR_0, HEX.formatHex(s.seal(FRAME, CAPTURE_MICROS)));
    }
    store.store(1000); // as after a restart whose stored high-water mark is 1000
    try (SFrameSender s = SFrameSender.builder(epochKey(), store).build()) {
      assertEquals(SEALED_CTR_1000, HEX.formatHex(s.seal(FRAME, CAPTURE_MICROS)));
    }
    try (SFrameReceiver rx = SFrameReceiver.builder(StreamId.of("front-door")).build()) {
      rx.addEpochKey(epochKey());
      assertEquals(new LiveFrame(FRAME, CAPTURE_MICROS), rx.openLiveFrame(HEX.parseHex(SEALED_CTR_1000)));
      assertEquals(FRAME, rx.openFrame(HEX.parseHex(SEALED_CTR_0)));
    }
    try (SFrameReceiver rx = SFrameReceiver.builder(StreamId.of("front-door")).build()) {
      rx.addEpochKey(epochKey());
      assertEquals(PLAINTEXT, HEX.formatHex(rx.open(HEX.parseHex(SEALED_CTR_0)))); // the spec's plaintext
    }
  }

  @Test
  void senderClockStampsTheCaptureTime() throws Exception {
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(1_700_000_000L), java.time.ZoneOffset.UTC);
    try (SFrameSender s = SFrameSender.builder(epochKey(), CounterStore.inMemoryForTests()).clock(clock).build()) {
      assertEquals(SEALED_CTR_0, HEX.formatHex(s.seal(FRAME)));
    }
  }

  @Test
  void version1FramesAreRefused() throws Exception {
    byte[] v1 = HEX.parseHex("0101000000000000823500");
    try (SFrameSender s = SFrameSender.builder(epochKey(), CounterStore.inMemoryForTests()).build();
        SFrameReceiver rx = SFrameReceiver.builder(StreamId.of("front-door")).build()) {
      rx.addEpochKey(epochKey());
      byte[] sealed = new byte[s.maxSealedLength(v1.length)];
      int n = s.seal(v1, 0, v1.length, sealed, 0);
      org.junit.jupiter.api.Assertions.assertThrows(dev.obscura.core.MalformedDataException.class,
          () -> rx.openLiveFrame(java.util.Arrays.copyOf(sealed, n)));
    }
  }
}
