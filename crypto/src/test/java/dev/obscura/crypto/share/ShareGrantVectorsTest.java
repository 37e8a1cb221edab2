package dev.obscura.crypto.share;

import static dev.obscura.crypto.testing.VectorFiles.flip;
import static dev.obscura.crypto.testing.VectorFiles.set;
import static dev.obscura.crypto.testing.VectorViewer.cat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.Recorder;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.Argon2idParams;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.ShareKeyWrap;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.testing.BcHpke;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.testing.VectorFiles;
import dev.obscura.crypto.testing.VectorViewer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/spec/vectors/share-grant/}: share grants (share-grant-v1 sections 3 to 6) made here
 * by the SDK's {@link ShareGrant.Builder} from a recording with deterministic keys and randomness,
 * checked byte for byte, and verified or refused through {@link ShareVerifier} as each file's
 * {@code expect:} line says. Regenerate with {@code -Dobscura.regenerateVectors=true}.
 *
 * <p>The recording: stream {@code porch}, four segments of 2 s (sequences 0..3), two per epoch,
 * a chain manifest every two segments. The grants share segments 1..2 (two epochs, two
 * manifests). Passphrase grants use Argon2id at the readers' floor, m = 19456 KiB, t = 2, p = 1
 * ({@link Argon2idParams.Floor#DEFAULT}): the least a default reader accepts, so that the vectors
 * open with it and stay quick. A viewer-key grant's wrapped key is sealed by Tink with an
 * ephemeral key it draws itself; for the vector it is sealed again, under the same grant key and
 * record hash, by {@link BcHpke} (fixed ephemeral ikm), which the SDK then opens.
 */
class ShareGrantVectorsTest {
  static final StreamId STREAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final Instant CREATED = Instant.parse("2026-11-27T09:00:00Z");
  static final String PASSPHRASE = "correct horse battery staple";
  static final Argon2idParams COST = Argon2idParams.of(19456, 2, 1);
  static final byte[] SHARE_INFO_LABEL = "obscura/v1 share hpke-x25519".getBytes(StandardCharsets.US_ASCII);
  /** Where the Argon2id costs are in a version-2 passphrase record body with one camera. */
  static final int COST_AT = 4 + 1 + 16 + 8 + 32 + 32 + 1 + 32 + 1 + 16;

  static final SigningKey CAMERA = SigningKey.generate(EntropySource.insecureDeterministicForTests(1));
  static final ViewerIdentity OWNER = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(3));
  static final SigningKey OWNER_KEY = OWNER.signingKey().orElseThrow();
  static final SigningKey OTHER_OWNER = SigningKey.generate(EntropySource.insecureDeterministicForTests(42));
  static final VectorViewer LAWYER = VectorViewer.generate(4);
  static final VectorViewer STRANGER = VectorViewer.generate(5);

  /** The recording, and what it recorded. */
  record Recording(MemStore store, List<byte[]> plaintexts) {
    static Recording make() throws Exception {
      MemStore store = new MemStore();
      List<byte[]> plaintexts = new ArrayList<>();
      try (Recorder r = Recorder.builder().store(store).stream(STREAM).recipients(List.of(OWNER.publicKey()))
          .segmentsPerEpoch(2).chainSigner(CAMERA, 2).entropy(EntropySource.insecureDeterministicForTests(6))
          .build()) {
        for (int i = 0; i < 4; i++) {
          byte[] data = new byte[300 + 40 * i];
          new SplittableRandom(100 + i).nextBytes(data);
          plaintexts.add(data);
          r.seal(new MediaSegment(i, T0.plusSeconds(2L * i), 2_000_000L * i, 2_000_000L, 30, data));
        }
      }
      return new Recording(store, plaintexts);
    }

    ShareGrant.Builder grant(long fromSecond, long toSecond, long seed) {
      return ShareGrant.builder().store(store).stream(STREAM)
          .timeRange(T0.plusSeconds(fromSecond), T0.plusSeconds(toSecond))
          .epochKeys(new EnvelopeKeyResolver(store, OWNER)).cameraKeys(List.of(CAMERA.verifyingKey()))
          .owner(OWNER_KEY, OWNER.publicKey()).reason("break-in, for the insurer")
          .clock(Clock.fixed(CREATED, ZoneOffset.UTC)).entropy(EntropySource.insecureDeterministicForTests(seed))
          .recordInAuditLog(false);
    }
  }

  static byte[] passphrase() {
    return PASSPHRASE.getBytes(StandardCharsets.UTF_8);
  }

  /** Offset of the wrapped key's u16 length in an encoded grant. */
  static int wrappedAt(byte[] grant) {
    return 9 + ByteBuffer.wrap(grant).getInt(5) + 64;
  }

  /** Offset of the sealed keys' u32 length. */
  static int sealedKeysAt(byte[] grant) {
    int w = wrappedAt(grant);
    return w + 2 + (((grant[w] & 0xff) << 8) | (grant[w + 1] & 0xff));
  }

  /** Offset of the u16 manifest count. */
  static int manifestsAt(byte[] grant) {
    int k = sealedKeysAt(grant);
    return k + 4 + ByteBuffer.wrap(grant).getInt(k);
  }

  /** The record of {@code a} (container head, body, signature) with everything after it from {@code b}. */
  static byte[] splice(byte[] a, byte[] b) {
    return cat(Arrays.copyOf(a, wrappedAt(a)), Arrays.copyOfRange(b, wrappedAt(b), b.length));
  }

  /** {@code grant} with its record body changed by {@code change} and signed again by {@code owner}. */
  static byte[] resigned(byte[] grant, SigningKey owner, java.util.function.Consumer<ByteBuffer> change) {
    int bodyLen = ByteBuffer.wrap(grant).getInt(5);
    byte[] body = Arrays.copyOfRange(grant, 9, 9 + bodyLen);
    change.accept(ByteBuffer.wrap(body));
    byte[] sig = owner.sign(SignaturePurpose.SHARE_RECORD, body);
    byte[] out = grant.clone();
    System.arraycopy(body, 0, out, 9, bodyLen);
    System.arraycopy(sig, 0, out, 9 + bodyLen, 64);
    return out;
  }

  static Map<String, String> generate() throws Exception {
    Recording rec = Recording.make();
    Map<String, String> out = new LinkedHashMap<>();

    ShareGrant pg = rec.grant(2, 5, 7).passphrase(passphrase(), COST).create();
    byte[] p = pg.encode();
    add(out, "valid-passphrase", "valid", "Segments 1..2 of porch (two epochs, two manifests) for whoever"
        + " knows the passphrase; Argon2id at the readers' floor.", p, fields(), rec, pg, null);

    ShareGrant vg = rec.grant(2, 5, 7).recipient(LAWYER.publicKey()).create();
    byte[] tinkWrapped = vg.wrappedKey();
    SecretBytes grantKey = ShareKeyWrap.unwrap(LAWYER.identity(), tinkWrapped, vg.record().hash());
    BcHpke.Sealed hpke = BcHpke.seal(LAWYER.publicKey().rawBytes(), cat(SHARE_INFO_LABEL, vg.record().hash()),
        grantKey.toByteArray(InsecureSecretAccess.get()), bytesFrom(0x20, 32));
    byte[] v = vg.encode();
    System.arraycopy(cat(LAWYER.publicKey().keyId(), hpke.enc(), hpke.ct()), 0, v, wrappedAt(v) + 2, 96);
    add(out, "valid-viewer-key", "valid", "The same segments for one viewer key (HPKE), with its device key"
        + " in the record.", v, fields(), rec, ShareGrant.parse(v), hpke);

    add(out, "wrong-passphrase", "WrongSharePassphraseException", "The passphrase with one letter more.",
        p, fields("passphrase", PASSPHRASE + "s"), rec, null, null);
    add(out, "flipped-wrapped-key-bit", "WrongSharePassphraseException",
        "One bit of the passphrase-wrapped grant key (its AES-GCM tag) flipped: indistinguishable from a wrong"
            + " passphrase.", flip(p, sealedKeysAt(p) - 1), fields(), rec, null, null);
    add(out, "flipped-sealed-keys-bit", "IntegrityException",
        "One bit of the sealed segment keys flipped.", flip(p, manifestsAt(p) - 1), fields(), rec, null, null);
    add(out, "flipped-record-bit", "IntegrityException",
        "One bit of the record's reason flipped: the owner's signature fails.",
        flip(p, wrappedAt(p) - 64 - 3), fields(), rec, null, null);
    add(out, "flipped-signature-bit", "IntegrityException", "One bit of the owner's signature flipped.",
        flip(p, wrappedAt(p) - 1), fields(), rec, null, null);
    add(out, "flipped-manifest-bit", "IntegrityException",
        "One bit of the first manifest's signature flipped.", flipManifest(p), fields(), rec, null, null);
    add(out, "flipped-segment-bit", "ChainBrokenException",
        "One bit of the last segment's ciphertext flipped: its digest is not the one the owner and the camera"
            + " signed.", flip(p, p.length - 20), fields(), rec, null, null);
    add(out, "other-owner-expected", "IntegrityException",
        "A valid grant, read by a recipient that expects another owner key.", p,
        fields("owner_public_key", Hex.format(OTHER_OWNER.verifyingKey().rawBytes())), rec, null, null);
    ShareGrant other = rec.grant(2, 5, 8).passphrase(passphrase(), COST).create();
    add(out, "keys-from-another-grant", "WrongSharePassphraseException",
        "The record of this grant with the keys and segments of another grant of the same clip and passphrase:"
            + " the wrapped key is bound to the other record's hash.", splice(p, other.encode()), fields(), rec,
        null, null);
    ShareGrant later = rec.grant(4, 7, 7).passphrase(passphrase(), COST).create();
    add(out, "segments-of-another-clip", "ChainBrokenException",
        "The record of segments 1..2 with the keys, manifests and segments of a grant of segments 2..3.",
        splice(p, later.encode()), fields(), rec, null, null);
    byte[] cheap = rec.grant(2, 5, 7).passphrase(passphrase(), Argon2idParams.of(1024, 1, 1)).create().encode();
    add(out, "costs-below-the-floor", "MalformedDataException",
        "A grant the owner made with m = 1024 KiB, t = 1: below the readers' floor, refused before Argon2id runs.",
        cheap, fields(), rec, null, null);
    add(out, "memory-above-the-bound", "MalformedDataException",
        "The record re-signed by the owner with m = 262145 KiB (the bound is 262144).",
        resigned(p, OWNER_KEY, b -> b.putInt(COST_AT, Argon2idParams.MAX_MEMORY_KIB + 1)), fields(), rec, null,
        null);
    add(out, "for-another-viewer", "KeyUnavailableException",
        "The viewer-key grant, opened by another viewer.", v,
        fields("viewer_private_key", Hex.format(STRANGER.privateKey()),
            "viewer_public_key", Hex.format(STRANGER.publicKey().rawBytes())), rec, null, null);
    // whoever holds the grant key (the lawyer) wraps it again for someone the owner did not name
    BcHpke.Sealed rewrapped = BcHpke.seal(STRANGER.publicKey().rawBytes(), cat(SHARE_INFO_LABEL, vg.record().hash()),
        grantKey.toByteArray(InsecureSecretAccess.get()), bytesFrom(0x40, 32));
    byte[] w = v.clone();
    System.arraycopy(cat(STRANGER.publicKey().keyId(), rewrapped.enc(), rewrapped.ct()), 0, w, wrappedAt(w) + 2, 96);
    add(out, "wrapped-for-a-viewer-the-record-does-not-name", "KeyUnavailableException",
        "The viewer-key grant with its grant key wrapped again, under the same record hash, for another viewer,"
            + " who opens it: it decrypts, but the owner's record names the lawyer.", w,
        fields("viewer_private_key", Hex.format(STRANGER.privateKey()),
            "viewer_public_key", Hex.format(STRANGER.publicKey().rawBytes())), rec, null, null);
    add(out, "flipped-hpke-bit", "IntegrityException",
        "One bit of the viewer's HPKE ciphertext flipped.", flip(v, sealedKeysAt(v) - 1), fields(), rec, null,
        null);
    add(out, "passphrase-grant-opened-with-a-viewer-key", "KeyUnavailableException",
        "The passphrase grant, opened by the viewer.", p, fields("recipient", "viewer-key",
            "viewer_private_key", Hex.format(LAWYER.privateKey()),
            "viewer_public_key", Hex.format(LAWYER.publicKey().rawBytes())), rec, null, null);
    add(out, "bad-magic", "MalformedDataException", "Magic is OBSI.", flip(p, 3), fields(), rec, null, null);
    add(out, "unknown-version", "MalformedDataException", "Container version 2.", set(p, 4, 2), fields(), rec,
        null, null);
    add(out, "truncated", "MalformedDataException", "The last byte is missing.", Arrays.copyOf(p, p.length - 1),
        fields(), rec, null, null);
    add(out, "trailing-data", "MalformedDataException", "One zero byte after the last segment.",
        Arrays.copyOf(p, p.length + 1), fields(), rec, null, null);
    return out;
  }

  /** Fields in this order (a file's lines must not depend on a map's iteration order). */
  static Map<String, String> fields(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static byte[] flipManifest(byte[] grant) {
    int m = manifestsAt(grant);
    int len = ByteBuffer.wrap(grant).getInt(m + 2);
    return flip(grant, m + 2 + 4 + len - 1);
  }

  static byte[] bytesFrom(int first, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  /**
   * One vector file. {@code valid} (a parsed valid grant) adds what a valid one states: the record
   * hash, the keys derived on the way, the segment keys and plaintexts; {@code hpke} the HPKE
   * values of a viewer-key grant's wrapped key.
   */
  static void add(Map<String, String> out, String scenario, String expect, String comment, byte[] grant,
      Map<String, String> overrides, Recording rec, ShareGrant valid, BcHpke.Sealed hpke) throws Exception {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("scenario", scenario);
    f.put("expect", expect);
    f.put("comment", comment);
    f.put("stream", STREAM.toString());
    f.put("owner_public_key", Hex.format(OWNER_KEY.verifyingKey().rawBytes()));
    f.put("camera_public_key", Hex.format(CAMERA.verifyingKey().rawBytes()));
    boolean viewer = grant[wrappedAt(grant) + 1] == 96;
    f.put("recipient", viewer ? "viewer-key" : "passphrase");
    if (viewer) {
      f.put("viewer_private_key", Hex.format(LAWYER.privateKey()));
      f.put("viewer_public_key", Hex.format(LAWYER.publicKey().rawBytes()));
    } else {
      f.put("passphrase", PASSPHRASE);
    }
    f.putAll(overrides);
    if (valid != null) {
      ShareRecord r = valid.record();
      f.put("first_sequence", Long.toString(r.firstSequence()));
      f.put("last_sequence", Long.toString(r.lastSequence()));
      f.put("record_hash", Hex.format(r.hash()));
      SecretBytes grantKey;
      if (hpke == null) {
        Argon2idParams c = r.passphraseCost().orElseThrow();
        f.put("argon2id_memory_kib", Integer.toString(c.memoryKib()));
        f.put("argon2id_iterations", Integer.toString(c.iterations()));
        f.put("argon2id_parallelism", Integer.toString(c.parallelism()));
        f.put("argon2id_salt", Hex.format(r.salt()));
        byte[] kek = c.derive(passphrase(), r.salt(), ShareGrant.PASSPHRASE_AD, 32);
        f.put("kek", Hex.format(kek));
        byte[] gk = ShareGrant.gcmOpen(SecretBytes.copyFrom(kek, InsecureSecretAccess.get()), r.hash(),
            valid.wrappedKey());
        grantKey = SecretBytes.copyFrom(gk, InsecureSecretAccess.get());
      } else {
        f.put("hpke_info", Hex.format(cat(SHARE_INFO_LABEL, r.hash())));
        f.put("ikm_e", Hex.format(hpke.ikmE()));
        f.put("sk_e", Hex.format(hpke.skE()));
        f.put("enc", Hex.format(hpke.enc()));
        f.put("shared_secret", Hex.format(hpke.sharedSecret()));
        f.put("hpke_key", Hex.format(hpke.key()));
        f.put("base_nonce", Hex.format(hpke.baseNonce()));
        grantKey = ShareKeyWrap.unwrap(LAWYER.identity(), valid.wrappedKey(), r.hash());
      }
      f.put("grant_key", Hex.format(grantKey.toByteArray(InsecureSecretAccess.get())));
      List<SecretBytes> keys = ShareVerifier.segmentKeys(valid, grantKey);
      f.put("segments", Integer.toString(keys.size()));
      for (int i = 0; i < keys.size(); i++) {
        f.put("segment_" + i + "_key", Hex.format(keys.get(i).toByteArray(InsecureSecretAccess.get())));
        f.put("segment_" + i + "_plaintext",
            Hex.format(rec.plaintexts().get((int) r.firstSequence() + i)));
      }
    }
    f.put("grant_length", Integer.toString(grant.length));
    f.put("grant", Hex.format(grant));
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : f.entrySet()) {
      s.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    out.put(scenario + ".txt", s.toString());
  }

  /** The SDK's recipient, on one vector: a verifier expecting the owner key, then the recipient's key. */
  static VerifiedShare open(Map<String, String> v) throws Exception {
    byte[] grant = Hex.parse(v.get("grant"));
    ShareVerifier verifier =
        ShareVerifier.expectingOwner(VerifyingKey.fromRawBytes(Hex.parse(v.get("owner_public_key"))));
    if (v.get("recipient").equals("passphrase")) {
      return verifier.verifyWithPassphrase(grant, v.get("passphrase").getBytes(StandardCharsets.UTF_8));
    }
    ViewerIdentity id = VectorViewer.identity(Hex.parse(v.get("viewer_private_key")));
    assertArrayEquals(Hex.parse(v.get("viewer_public_key")), id.publicKey().rawBytes());
    return verifier.verify(grant, id);
  }

  @Test
  void committedVectorsAreWhatTheCodeMakes() throws Exception {
    VectorFiles.check("share-grant", generate());
  }

  @Test
  void vectorsOpenOrAreRefusedAsTheySay() throws Exception {
    int[] refused = {0};
    int valid = VectorFiles.checkExpectations("share-grant", v -> {
      VerifiedShare s = open(v);
      int n = Integer.parseInt(v.get("segments"));
      assertEquals(n, s.segments().size());
      for (int i = 0; i < n; i++) {
        OpenedSegment o = s.segments().get(i);
        assertEquals(Long.parseLong(v.get("first_sequence")) + i, o.header().sequence());
        assertArrayEquals(Hex.parse(v.get("segment_" + i + "_plaintext")), o.plaintext(), v.get("scenario"));
      }
      assertArrayEquals(Hex.parse(v.get("record_hash")), s.record().hash());
      assertEquals(Integer.parseInt(v.get("grant_length")), Hex.parse(v.get("grant")).length);
    }, v -> {
      refused[0]++;
      return () -> open(v);
    });
    assertEquals(2, valid);
    assertEquals(20, refused[0]);
  }
}
