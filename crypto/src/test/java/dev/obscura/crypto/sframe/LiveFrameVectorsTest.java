package dev.obscura.crypto.sframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EpochId;
import dev.obscura.core.Hex;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.testing.VectorFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/live-frame/} (docs/spec/live-sframe-v1.md section 7.1): live frames
 * sealed by {@link SFrameSender} with deterministic epoch keys and counters, each valid one with
 * the intermediate values of the key schedule, and the frames a relay (or a buggy sender) could
 * hand a viewer instead, each with the exception the receiver must throw. The two keyframes at
 * CTR 0 and 1000 are the ones of {@link LiveSFrameKnownAnswerTest} (computed with Python). Checked
 * byte for byte and opened through {@link SFrameReceiver}; regenerate with {@code
 * -Dobscura.regenerateVectors=true}.
 */
class LiveFrameVectorsTest {
  static final String KIND = "live-frame";
  static final int VALID = 8;
  static final int INVALID = 18;

  static final StreamId STREAM = StreamId.of("front-door");
  static final SFrameCipherSuite SUITE = SFrameCipherSuite.DEFAULT;
  /** The epochs a receiver of every vector holds. */
  static final long[] RECEIVER_EPOCHS = {7, 8};
  static final long CAPTURE = 1_700_000_000_000_000L;

  /** Epoch key {@code first, first + 1, ..., first + 31}. */
  static EpochKey key(StreamId stream, long epoch, int first) {
    byte[] k = new byte[32];
    for (int i = 0; i < 32; i++) {
      k[i] = (byte) (first + i);
    }
    return new EpochKey(stream, EpochId.of(epoch), SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
  }

  static EpochKey key(long epoch) {
    return key(STREAM, epoch, epoch == 7 ? 0x00 : epoch == 8 ? 0x20 : 0x40);
  }

  /** What a sender seals, given its next counter. */
  interface Seal {
    int apply(SFrameSender s, byte[] out) throws IOException;
  }

  /** Seals one message with {@code key} at counter {@code ctr}. */
  static byte[] seal(EpochKey key, long ctr, Seal what) throws IOException {
    CounterStore store = CounterStore.inMemoryForTests();
    store.store(ctr); // as after a restart whose stored high-water mark is ctr
    try (SFrameSender s = SFrameSender.builder(key, store).counterBlockSize(1).build()) {
      byte[] out = new byte[1024];
      return Arrays.copyOf(out, what.apply(s, out));
    }
  }

  static Seal frame(long pts, boolean keyframe, long capture, String data) {
    byte[] b = data.getBytes(StandardCharsets.US_ASCII);
    return (s, out) -> s.sealLiveFrame(pts, keyframe, capture, b, 0, b.length, out, 0);
  }

  /** A raw plaintext, for the frames only a sender holding the key could make. */
  static Seal raw(String plaintextHex) {
    byte[] pt = Hex.parse(plaintextHex);
    return (s, out) -> s.seal(pt, 0, pt.length, out, 0);
  }

  /** One vector file, its lines in order. */
  static final class Vector {
    final StringBuilder text = new StringBuilder();

    Vector(String scenario, String expect, String comment) {
      put("scenario", scenario).put("expect", expect).put("comment", comment);
      put("stream", STREAM.toString()).put("suite", String.format("0x%04x", SUITE.id()));
      StringBuilder epochs = new StringBuilder();
      for (long e : RECEIVER_EPOCHS) {
        epochs.append(epochs.length() == 0 ? "" : " ").append(e);
      }
      put("receiver_epochs", epochs.toString());
      for (long e : RECEIVER_EPOCHS) {
        put("epoch_key_" + e, Hex.format(key(e).secret().toByteArray(InsecureSecretAccess.get())));
      }
    }

    Vector put(String k, String v) {
      text.append(k).append(": ").append(v).append('\n');
      return this;
    }

    Vector before(byte[]... frames) {
      StringBuilder b = new StringBuilder();
      for (byte[] f : frames) {
        b.append(b.length() == 0 ? "" : " ").append(Hex.format(f));
      }
      return put("received_before", frames.length == 0 ? "none" : b.toString());
    }

    /** The key schedule, header, nonce and plaintext of a frame the receiver can open. */
    Vector intermediates(EpochKey key, byte[] sealed) throws Exception {
      SFrameHeader h = SFrameHeader.decode(sealed, 0, sealed.length);
      byte[] base = SFrameKeySchedule.baseKey(key, null);
      byte[] secret = SFrameKeySchedule.secret(SUITE, base, null);
      byte[] header = Arrays.copyOf(sealed, h.encodedLength());
      put("kid", Long.toString(h.kid())).put("ctr", Long.toString(h.counter()));
      put("base_key_info", Hex.format(SFrameKeySchedule.baseKeyInfo(key)));
      put("base_key", Hex.format(base));
      put("sframe_key", Hex.format(SFrameKeySchedule.key(SUITE, secret, h.kid(), null)));
      put("sframe_salt", Hex.format(SFrameKeySchedule.salt(SUITE, secret, h.kid(), null)));
      put("header", Hex.format(header));
      put("nonce", Hex.format(new SFrameContext(SUITE, h.kid(), base, null).nonceFor(h.counter())));
      put("aad", Hex.format(header)); // metadata is empty for live frames (section 5)
      try (SFrameReceiver rx = SFrameReceiver.builder(STREAM).build()) {
        rx.addEpochKey(key);
        put("plaintext", Hex.format(rx.open(sealed)));
      }
      return this;
    }

    /** The frame the receiver hands the caller. */
    Vector opened(boolean keyframe, boolean cover, long pts, long capture, String data, int padding) {
      put("keyframe", Boolean.toString(keyframe)).put("cover", Boolean.toString(cover));
      put("presentation_micros", Long.toString(pts)).put("capture_micros", Long.toString(capture));
      put("padding_length", Integer.toString(padding));
      byte[] b = data.getBytes(StandardCharsets.US_ASCII);
      put("frame_length", Integer.toString(b.length));
      return b.length == 0 ? this : put("frame", Hex.format(b));
    }

    Vector sealed(byte[] sealed) {
      return put("sealed_length", Integer.toString(sealed.length)).put("sealed", Hex.format(sealed));
    }
  }

  static Map<String, String> generate() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    EpochKey k7 = key(7);
    EpochKey k8 = key(8);
    String kfData = "obscura live frame";
    String deltaData = "obscura delta frame";

    byte[] kf0 = seal(k7, 0, frame(33_333, true, CAPTURE, kfData));
    byte[] kf1000 = seal(k7, 1000, frame(33_333, true, CAPTURE, kfData));
    byte[] delta1 = seal(k7, 1, frame(66_666, false, CAPTURE + 33_333, deltaData));
    long bigCtr = (1L << 32) + 5;
    byte[] deltaBig = seal(k7, bigCtr, frame(99_999, false, CAPTURE + 66_666, deltaData));
    byte[] kfEpoch8 = seal(k8, 2000, frame(600_000_000, true, CAPTURE + 600_000_000, kfData));
    byte[] padData = kfData.getBytes(StandardCharsets.US_ASCII);
    byte[] padded = seal(k7, 2, (s, o) -> s.sealPaddedLiveFrame(133_333, true, CAPTURE + 100_000, padData, 0,
        padData.length, 96, o, 0));
    int padding = 96 - 1 - 16 - 18 - padData.length - 4; // header, tag, prefix, frame, trailer
    byte[] cover = seal(k7, 3, (s, o) -> s.sealCoverFrame(CAPTURE + 133_333, 64, o, 0));
    byte[] version1 = seal(k7, 4, raw("0101000000000000823500"));
    byte[] delta1024 = seal(k7, 1024, frame(1_000_000, false, CAPTURE + 1_000_000, deltaData));

    put(out, new Vector("keyframe-ctr-0", "valid",
            "A keyframe at CTR 0 of epoch 7: one-byte header 0x70 (KID 7, CTR 0 in the config byte). The CTR 0 vector of section 7, computed with Python.")
        .before().intermediates(k7, kf0).opened(true, false, 33_333, CAPTURE, kfData, 0).sealed(kf0));
    put(out, new Vector("keyframe-ctr-1000", "valid",
            "The same keyframe at CTR 1000 (as after a restart whose stored high-water mark is 1000): CTR in 2 bytes. The CTR 1000 vector of section 7.")
        .before().intermediates(k7, kf1000).opened(true, false, 33_333, CAPTURE, kfData, 0).sealed(kf1000));
    put(out, new Vector("delta-ctr-1", "valid", "A delta frame (keyframe flag clear) at CTR 1.")
        .before().intermediates(k7, delta1).opened(false, false, 66_666, CAPTURE + 33_333, deltaData, 0)
        .sealed(delta1));
    put(out, new Vector("delta-ctr-2-pow-32-plus-5", "valid",
            "A delta frame at CTR 2^32 + 5: CTR in 5 bytes, and the nonce's salt XOR reaches byte 7.")
        .before().intermediates(k7, deltaBig).opened(false, false, 99_999, CAPTURE + 66_666, deltaData, 0)
        .sealed(deltaBig));
    put(out, new Vector("keyframe-epoch-8", "valid",
            "A keyframe of epoch 8 at CTR 2000 (the CTR counts per stream, across epochs): KID 8 needs the extended KID form.")
        .before().intermediates(k8, kfEpoch8)
        .opened(true, false, 600_000_000, CAPTURE + 600_000_000, kfData, 0).sealed(kfEpoch8));
    put(out, new Vector("padded-keyframe", "valid",
            "A keyframe padded (flag bit 1, section 5.1) to a 96-byte sealed frame: the receiver strips P zero bytes and u32be(P).")
        .before().intermediates(k7, padded).opened(true, false, 133_333, CAPTURE + 100_000, kfData, padding)
        .sealed(padded));
    put(out, new Vector("cover", "valid",
            "A cover frame (flags 0x06, section 5.2) sealed to 64 bytes: it opens, carries no frame bytes, and a viewer drops it.")
        .before().intermediates(k7, cover).opened(false, true, 0, CAPTURE + 133_333, "", 64 - 1 - 16 - 18 - 4)
        .sealed(cover));
    put(out, new Vector("reordered-within-window", "valid",
            "The CTR 1 delta frame after the CTR 1000 keyframe: 999 below the highest accepted CTR, inside the 1024-frame window, not seen before.")
        .before(kf1000).intermediates(k7, delta1).opened(false, false, 66_666, CAPTURE + 33_333, deltaData, 0)
        .sealed(delta1));

    put(out, new Vector("flipped-ciphertext-bit", "TamperedFrameException",
            "keyframe-ctr-0 with the low bit of its 6th ciphertext byte flipped.")
        .before().sealed(VectorFiles.flip(kf0, 1 + 5)));
    put(out, new Vector("flipped-tag-bit", "TamperedFrameException",
            "keyframe-ctr-0 with the low bit of the last tag byte flipped.")
        .before().sealed(VectorFiles.flip(kf0, kf0.length - 1)));
    put(out, new Vector("header-ctr-changed", "TamperedFrameException",
            "keyframe-ctr-0 with header 0x71 (CTR 1): the header is the AAD and the CTR is in the nonce.")
        .before().sealed(VectorFiles.flip(kf0, 0)));
    put(out, new Vector("header-kid-changed", "UnknownKeyIdException",
            "keyframe-ctr-0 with header 0x60 (KID 6): the receiver holds no key of epoch 6.")
        .before().sealed(VectorFiles.set(kf0, 0, 0x60)));
    put(out, new Vector("unknown-key-id", "UnknownKeyIdException",
            "A genuine keyframe of epoch 9 (epoch key 40..5f), whose key the receiver does not hold (yet).")
        .before().sealed(seal(key(9), 3000, frame(1_200_000_000, true, CAPTURE + 1_200_000_000, kfData))));
    put(out, new Vector("other-stream", "TamperedFrameException",
            "A keyframe of stream back-door, epoch 7, under the same epoch key: the base key binds the stream.")
        .before().sealed(seal(key(StreamId.of("back-door"), 7, 0x00), 0, frame(33_333, true, CAPTURE, kfData))));
    put(out, new Vector("replayed", "ReplayedFrameException",
            "keyframe-ctr-0 again, after the receiver accepted it.")
        .before(kf0).sealed(kf0));
    put(out, new Vector("older-than-window", "ReplayedFrameException",
            "keyframe-ctr-0, never seen, after a delta frame at CTR 1024: 1024 below the highest accepted CTR is outside the window.")
        .before(delta1024).sealed(kf0));
    put(out, new Vector("cut-inside-tag", "TamperedFrameException",
            "keyframe-ctr-0 without its last byte: the tag is taken from the last 16 bytes, so it no longer verifies.")
        .before().sealed(Arrays.copyOf(kf0, kf0.length - 1)));
    put(out, new Vector("shorter-than-header-and-tag", "MalformedDataException",
            "The first 16 bytes of keyframe-ctr-0: a 1-byte header and 15 bytes, fewer than a tag.")
        .before().sealed(Arrays.copyOf(kf0, 16)));
    put(out, new Vector("cut-inside-header", "MalformedDataException",
            "The first 2 bytes of keyframe-ctr-1000: the config byte 0x79 announces a 2-byte CTR.")
        .before().sealed(Arrays.copyOf(kf1000, 2)));
    byte[] nonMinimal = new byte[kf0.length + 1];
    nonMinimal[0] = 0x78; // KID 7, CTR in 1 byte
    System.arraycopy(kf0, 1, nonMinimal, 2, kf0.length - 1);
    put(out, new Vector("non-minimal-header", "MalformedDataException",
            "keyframe-ctr-0 with its header written 78 00 (CTR 0 in an extra byte): not the minimal encoding.")
        .before().sealed(nonMinimal));
    put(out, new Vector("version-1-plaintext", "MalformedDataException",
            "Authentic, but its plaintext is an obsolete version 1 live frame (10-byte prefix, no capture time).")
        .before().sealed(version1));
    put(out, new Vector("replayed-malformed", "ReplayedFrameException",
            "version-1-plaintext again: it authenticated, so its CTR was accepted before its plaintext was refused (section 6 step 6).")
        .before(version1).sealed(version1));
    put(out, new Vector("reserved-flag-bit", "MalformedDataException",
            "Authentic, but its live-frame flags are 0x09: bit 3 is reserved.")
        .before().sealed(seal(k7, 5, raw("0209000000000000823500060a24181e40006f627363757261"))));
    put(out, new Vector("nonzero-padding", "MalformedDataException",
            "Authentic and padded (flags 0x03), frame 6f62, P = 2, but one padding byte is 01.")
        .before().sealed(seal(k7, 6, raw("0203000000000000823500060a24181e40006f62000100000002"))));
    put(out, new Vector("padding-longer-than-frame", "MalformedDataException",
            "Authentic and padded (flags 0x03), 2 bytes between prefix and trailer, but P = 3.")
        .before().sealed(seal(k7, 7, raw("0203000000000000823500060a24181e4000000000000003"))));
    put(out, new Vector("cover-with-keyframe-bit", "MalformedDataException",
            "Authentic cover frame (P = 0) whose flags are 0x07: a cover's flags must be exactly 0x06.")
        .before().sealed(seal(k7, 8, raw("0207000000000000000000060a24181e400000000000"))));
    return out;
  }

  static void put(Map<String, String> out, Vector v) {
    String text = v.text.toString();
    String scenario = text.substring("scenario: ".length(), text.indexOf('\n'));
    out.put(scenario + ".txt", text);
  }

  /** A receiver of {@link #STREAM} holding the keys the vector names, after its earlier frames. */
  static SFrameReceiver receiver(Map<String, String> v) throws Exception {
    SFrameReceiver rx = SFrameReceiver.builder(StreamId.of(v.get("stream"))).build();
    assertEquals(SUITE.id(), Integer.decode(v.get("suite")));
    for (String e : v.get("receiver_epochs").split(" ")) {
      rx.addEpochKey(new EpochKey(StreamId.of(v.get("stream")), EpochId.of(Long.parseLong(e)),
          SecretBytes.copyFrom(Hex.parse(v.get("epoch_key_" + e)), InsecureSecretAccess.get())));
    }
    if (!v.get("received_before").equals("none")) {
      for (String f : v.get("received_before").split(" ")) {
        rx.open(Hex.parse(f)); // section 6 steps 1 to 5 accept it (its plaintext is not parsed)
      }
    }
    return rx;
  }

  @Test
  void committedVectorsAreWhatTheCodeMakes() throws Exception {
    VectorFiles.check(KIND, generate());
  }

  @Test
  void vectorsOpenOrAreRefusedAsTheySay() throws Exception {
    List<Map<String, String>> all = VectorFiles.read(KIND);
    int valid = VectorFiles.checkExpectations(KIND, v -> {
      byte[] sealed = Hex.parse(v.get("sealed"));
      assertEquals(Integer.parseInt(v.get("sealed_length")), sealed.length);
      LiveFrameBuffer buf = new LiveFrameBuffer(0);
      try (SFrameReceiver rx = receiver(v)) {
        rx.openLiveFrame(sealed, 0, sealed.length, buf);
      }
      String id = v.get("scenario");
      assertEquals(Long.parseLong(v.get("kid")), buf.kid(), id);
      assertEquals(Long.parseLong(v.get("ctr")), buf.counter(), id);
      assertEquals(Boolean.parseBoolean(v.get("keyframe")), buf.keyframe(), id);
      assertEquals(Boolean.parseBoolean(v.get("cover")), buf.cover(), id);
      assertEquals(Long.parseLong(v.get("presentation_micros")), buf.presentationMicros(), id);
      assertEquals(Long.parseLong(v.get("capture_micros")), buf.captureMicros(), id);
      byte[] frame = v.containsKey("frame") ? Hex.parse(v.get("frame")) : new byte[0];
      assertEquals(Integer.parseInt(v.get("frame_length")), frame.length, id);
      assertArrayEquals(frame, Arrays.copyOfRange(buf.array(), buf.offset(), buf.offset() + buf.length()), id);
      try (SFrameReceiver rx = receiver(v)) {
        assertArrayEquals(Hex.parse(v.get("plaintext")), rx.open(sealed), id);
      }
      if (!buf.cover()) {
        try (SFrameReceiver rx = receiver(v)) {
          assertEquals(new LiveFrame(new EncodedFrame(buf.presentationMicros(), buf.keyframe(), frame),
              buf.captureMicros()), rx.openLiveFrame(sealed), id);
        }
      }
    }, v -> {
      byte[] sealed = Hex.parse(v.get("sealed"));
      assertEquals(Integer.parseInt(v.get("sealed_length")), sealed.length);
      SFrameReceiver rx = receiver(v);
      return () -> {
        try (rx) {
          rx.openLiveFrame(sealed, 0, sealed.length, new LiveFrameBuffer(0));
        }
      };
    });
    assertEquals(VALID, valid);
    assertEquals(VALID + INVALID, all.size());
  }

  @Test
  void theSectionSevenKnownAnswersAreAmongTheVectors() throws Exception {
    Map<String, String> g = generate();
    assertTrue(g.get("keyframe-ctr-0.txt").contains("sealed: " + LiveSFrameKnownAnswerTest.SEALED_CTR_0 + "\n"));
    assertTrue(g.get("keyframe-ctr-1000.txt").contains("sealed: " + LiveSFrameKnownAnswerTest.SEALED_CTR_1000 + "\n"));
    assertTrue(g.get("keyframe-ctr-0.txt").contains("plaintext: " + LiveSFrameKnownAnswerTest.PLAINTEXT + "\n"));
  }
}
