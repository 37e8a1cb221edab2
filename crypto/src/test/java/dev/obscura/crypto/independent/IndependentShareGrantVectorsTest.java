package dev.obscura.crypto.independent;

import static dev.obscura.crypto.independent.IndependentVectorsTest.ascii;
import static dev.obscura.crypto.independent.IndependentVectorsTest.cat;
import static dev.obscura.crypto.independent.IndependentVectorsTest.ed25519Verify;
import static dev.obscura.crypto.independent.IndependentVectorsTest.segmentDigest;
import static dev.obscura.crypto.independent.IndependentVectorsTest.sha256;
import static dev.obscura.crypto.independent.IndependentVectorsTest.u64;
import static dev.obscura.crypto.independent.IndependentVectorsTest.vectors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Checks the share-grant vectors of docs/spec/vectors/share-grant against a recipient written
 * from share-grant-v1 (sections 2 to 6) with Bouncy Castle's low-level primitives only, no
 * dev.obscura class: the record and container layout and bounds, the owner's and the camera's
 * Ed25519 signatures, the digests and chain of the carried segments, the grant key's unwrapping
 * (HPKE by {@link IndependentHpkeTest}'s RFC 9180 code; Argon2id by Bouncy Castle's generator,
 * checked here against RFC 9106's own Argon2id vector), the sealed segment keys, and every
 * segment opened whole with its key ({@link IndependentVectorsTest#openChunked}). Each valid
 * vector yields its stated plaintexts and every intermediate value it states; every other one is
 * refused with the kind of refusal its {@code expect:} line names.
 *
 * <p>Not independent: Argon2id is Bouncy Castle's, as in the SDK (writing Argon2 and BLAKE2b
 * again is out of proportion); the RFC 9106 vector checks that implementation, including the
 * associated data the grant uses.
 */
class IndependentShareGrantVectorsTest {

  static Refused malformed(String why) {
    return new Refused("MalformedDataException", why);
  }

  static Refused integrity(String why) {
    return new Refused("IntegrityException", why);
  }

  static Refused chain(String why) {
    return new Refused("ChainBrokenException", why);
  }

  /** Section 3: the largest record body (16 cameras, a viewer key with a device key, 20000 digests). */
  static final int MAX_RECORD_BODY = 4 + 1 + 16 + 8 + 32 + 32 + 1 + 32 * 16 + 1 + 65 + 1 + 64 + 8 * 4
      + 32 * 20000 + 2 + 1024;
  /** Section 4. */
  static final long MAX_SEALED_KEYS = 12 + 33L * 20000 + 16;
  /** Section 2. */
  static final long MAX_MANIFEST = 6 + 64 + 16 + 16 + 32L * 100000 + 64;
  static final long MAX_SEGMENT = 256L << 20;

  /** A reader of big-endian fields that refuses to read past the end. */
  static final class In {
    final byte[] b;
    int pos;

    In(byte[] b) {
      this.b = b;
    }

    byte[] bytes(long n) throws Refused {
      if (n < 0 || n > b.length - pos) {
        throw malformed("cut short");
      }
      byte[] out = Arrays.copyOfRange(b, pos, pos + (int) n);
      pos += (int) n;
      return out;
    }

    long uint(int n) throws Refused {
      byte[] f = bytes(n);
      long v = 0;
      for (byte x : f) {
        v = (v << 8) | (x & 0xff);
      }
      return v;
    }

    /** A u32 length, at most {@code max}, then that many bytes. */
    byte[] sized32(long max) throws Refused {
      long n = uint(4);
      if (n > max) {
        throw malformed("length over its bound");
      }
      return bytes(n);
    }

    void end() throws Refused {
      if (pos != b.length) {
        throw malformed("trailing bytes");
      }
    }
  }

  record Record(byte[] body, byte[] signature, byte[] owner, List<byte[]> cameras, int recipientType,
      byte[] recipientKey, byte[] salt, long m, long t, int p, String stream, long first, long last, long from,
      long to, List<byte[]> digests) {
    byte[] hash() {
      return sha256(ascii("obscura/v1 share record"), body, signature);
    }
  }

  static boolean validStreamId(byte[] id) {
    return IndependentKeyEnvelopeVectorsTest.validStreamId(id);
  }

  /** Section 3, with the cost bounds and floor of section 5. */
  static Record parseRecord(byte[] body, byte[] sig) throws Refused {
    In in = new In(body);
    if (!Arrays.equals(in.bytes(4), ascii("OBSR"))) {
      throw malformed("record magic");
    }
    int version = (int) in.uint(1);
    if (version != 1 && version != 2) {
      throw malformed("record version");
    }
    in.bytes(16); // grant id
    in.uint(8); // created
    byte[] owner = in.bytes(32);
    if (version == 2 && !usableX25519(in.bytes(32))) {
      throw malformed("owner X25519 key");
    }
    int c = (int) in.uint(1);
    if (c < 1 || c > 16) {
      throw malformed("camera count");
    }
    List<byte[]> cameras = new ArrayList<>();
    for (int i = 0; i < c; i++) {
      cameras.add(in.bytes(32));
    }
    int type = (int) in.uint(1);
    byte[] recipientKey = null;
    byte[] salt = null;
    long m = 0;
    long t = 0;
    int p = 0;
    if (type == 1) {
      recipientKey = in.bytes(32);
      if (!usableX25519(recipientKey)) {
        throw malformed("recipient key");
      }
      int flag = (int) in.uint(1);
      if (flag > 1) {
        throw malformed("device-key flag");
      }
      if (flag == 1) {
        in.bytes(32);
      }
    } else if (type == 2) {
      salt = in.bytes(16);
      m = in.uint(4);
      t = in.uint(4);
      p = (int) in.uint(1);
      // bounds, then the floor, each field on its own, before any Argon2id work
      if (p < 1 || p > 4 || m < 8L * p || m > 262144 || t < 1 || t > 16) {
        throw malformed("Argon2id costs out of bounds");
      }
      if (m < 19456 || t < 2) {
        throw malformed("Argon2id costs below the floor");
      }
    } else {
      throw malformed("recipient type");
    }
    int n = (int) in.uint(1);
    byte[] sid = in.bytes(n);
    if (!validStreamId(sid)) {
      throw malformed("stream id");
    }
    long first = in.uint(8);
    long last = in.uint(8);
    if (first < 0 || last < first || last - first > 19999) {
      throw malformed("sequence range");
    }
    long from = in.uint(8);
    long to = in.uint(8);
    int k = (int) (last - first + 1);
    if (32L * k > body.length - in.pos) {
      throw malformed("cut short in the digests");
    }
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      digests.add(in.bytes(32));
    }
    int r = (int) in.uint(2);
    if (r > 1024) {
      throw malformed("reason length");
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(in.bytes(r)));
    } catch (CharacterCodingException e) {
      throw malformed("reason not UTF-8");
    }
    in.end();
    return new Record(body, sig, owner, cameras, type, recipientKey, salt, m, t, p,
        new String(sid, StandardCharsets.US_ASCII), first, last, from, to, digests);
  }

  /** Not a low-order point: the X25519 function of it is not all zero. */
  static boolean usableX25519(byte[] key) {
    byte[] scalar = new byte[32];
    scalar[0] = 9;
    return X25519.calculateAgreement(scalar, 0, key, 0, new byte[32], 0);
  }

  record Grant(Record record, byte[] wrapped, byte[] sealedKeys, List<byte[]> manifests, List<byte[]> segments) {}

  /** Section 4: the container, every length checked against its bound and what remains. */
  static Grant parse(byte[] g) throws Refused {
    In in = new In(g);
    if (g.length < 5 || !Arrays.equals(in.bytes(4), ascii("OBSH"))) {
      throw malformed("magic");
    }
    if (in.uint(1) != 1) {
      throw malformed("version");
    }
    byte[] body = in.sized32(MAX_RECORD_BODY);
    byte[] sig = in.bytes(64);
    Record r = parseRecord(body, sig);
    long wl = in.uint(2);
    if (wl != (r.recipientType() == 1 ? 96 : 60)) {
      throw malformed("wrapped key length");
    }
    byte[] wrapped = in.bytes(wl);
    byte[] sealedKeys = in.sized32(MAX_SEALED_KEYS);
    int mc = (int) in.uint(2);
    if (mc < 1 || mc > 1024) {
      throw malformed("manifest count");
    }
    List<byte[]> manifests = new ArrayList<>();
    for (int i = 0; i < mc; i++) {
      manifests.add(in.sized32(MAX_MANIFEST));
    }
    long s = in.uint(4);
    if (s != r.digests().size()) {
      throw malformed("segment count is not the record's");
    }
    List<byte[]> segments = new ArrayList<>();
    for (long i = 0; i < s; i++) {
      segments.add(in.sized32(MAX_SEGMENT));
    }
    in.end();
    return new Grant(r, wrapped, sealedKeys, manifests, segments);
  }

  /** Section 2, the framing of one manifest (a manifest that does not parse makes the grant malformed). */
  static void checkManifestFraming(byte[] m) throws Refused {
    if (m.length < 6 || m[0] != 'O' || m[1] != 'B' || m[2] != 'S' || m[3] != 'M' || m[4] != 1) {
      throw malformed("manifest magic or version");
    }
    int n = m[5] & 0xff;
    if (n < 1 || n > 64 || m.length < 38 + n + 64) {
      throw malformed("manifest header");
    }
    long first = u64(m, 6 + n);
    long last = u64(m, 14 + n);
    if (first < 0 || last < first || last - first + 1 > 100000 || m.length != 38 + n + 32 * (last - first + 1) + 64) {
      throw malformed("manifest range or length");
    }
  }

  /** A sealed segment's header fields (sealed-segment-v1 section 2). */
  record Head(int headerLength, int suite, long seq, long start, long duration, byte[] previous) {
    static Head of(byte[] s) throws Refused {
      if (s.length < 7 || s[0] != 'O' || s[1] != 'B' || s[2] != 'S' || s[3] != 'G' || s[4] != 2) {
        throw malformed("segment magic or version");
      }
      int n = s[6] & 0xff;
      if (n < 1 || n > 64 || s.length < 71 + n + 56) {
        throw malformed("segment header");
      }
      return new Head(71 + n, s[5], u64(s, 7 + n), u64(s, 23 + n), u64(s, 31 + n),
          Arrays.copyOfRange(s, 39 + n, 71 + n));
    }
  }

  static byte[] gcmOpen(byte[] key, byte[] aad, byte[] sealed) throws InvalidCipherTextException {
    if (sealed.length < 12 + 16) {
      throw new InvalidCipherTextException("too short");
    }
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(false, new AEADParameters(new KeyParameter(key), 128, Arrays.copyOf(sealed, 12), aad));
    byte[] out = new byte[gcm.getOutputSize(sealed.length - 12)];
    int w = gcm.processBytes(sealed, 12, sealed.length - 12, out, 0);
    gcm.doFinal(out, w);
    return out;
  }

  static byte[] argon2id(byte[] passphrase, byte[] salt, byte[] secret, byte[] ad, long m, long t, int p, int len) {
    Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB((int) m).withIterations((int) t)
        .withParallelism(p).withSalt(salt).withAdditional(ad);
    if (secret != null) {
      b.withSecret(secret);
    }
    Argon2BytesGenerator g = new Argon2BytesGenerator();
    g.init(b.build());
    byte[] out = new byte[len];
    g.generateBytes(passphrase, out);
    return out;
  }

  /** What a recipient gets from a grant, with the values on the way. */
  record Opened(byte[] recordHash, byte[] kek, byte[] grantKey, List<byte[]> segmentKeys, List<byte[]> plaintexts) {}

  /** Section 6: verify, in the spec's order, and open. */
  static Opened verify(byte[] bytes, byte[] expectedOwner, byte[] passphrase, byte[] viewerPrivateKey)
      throws Refused {
    // 1. parse
    Grant g = parse(bytes);
    Record r = g.record();
    // 2. the owner's signature, and the owner the recipient expects
    if (!ed25519Verify(r.owner(), "obscura/v1 sig share-record", r.body(), r.signature())) {
      throw integrity("owner signature");
    }
    if (expectedOwner != null && !Arrays.equals(expectedOwner, r.owner())) {
      throw integrity("not the expected owner");
    }
    // 3. every manifest under the camera key its key id names, among the record's; no forks
    Map<Long, byte[]> signed = new HashMap<>();
    for (byte[] m : g.manifests()) {
      checkManifestFraming(m);
      int n = m[5] & 0xff;
      byte[] keyId = Arrays.copyOfRange(m, 22 + n, 38 + n);
      byte[] camera = r.cameras().stream().filter(c -> Arrays.equals(Arrays.copyOf(sha256(c), 16), keyId))
          .findFirst().orElseThrow(() -> integrity("manifest by a camera the record does not name"));
      byte[][] digests;
      try {
        digests = IndependentVectorsTest.verifyManifest(m, camera);
      } catch (Refused e) {
        throw integrity("manifest: " + e.getMessage());
      }
      long first = u64(m, 6 + n);
      if (!new String(Arrays.copyOfRange(m, 6, 6 + n), StandardCharsets.US_ASCII).equals(r.stream())) {
        throw integrity("manifest of another stream");
      }
      for (int i = 0; i < digests.length; i++) {
        byte[] before = signed.putIfAbsent(first + i, digests[i]);
        if (before != null && !Arrays.equals(before, digests[i])) {
          throw integrity("forked manifests");
        }
      }
    }
    // 4. exactly segments first..last, each as the record and the camera signed it, chained
    List<Head> heads = new ArrayList<>();
    for (int i = 0; i < g.segments().size(); i++) {
      byte[] s = g.segments().get(i);
      Head h = Head.of(s);
      long seq = r.first() + i;
      if (h.seq() != seq) {
        throw chain("segment " + h.seq() + " where " + seq + " belongs");
      }
      byte[] d = segmentDigest(s);
      if (!Arrays.equals(d, r.digests().get(i))) {
        throw chain("segment " + seq + " is not the one the owner shared");
      }
      if (!Arrays.equals(d, signed.get(seq))) {
        throw chain("segment " + seq + " is not the one the camera signed");
      }
      byte[] previous = seq == 0 ? new byte[32] : signed.get(seq - 1);
      if (previous != null && !Arrays.equals(previous, h.previous())) {
        throw chain("segment " + seq + " does not follow " + (seq - 1));
      }
      heads.add(h);
    }
    long spanFrom = Long.MAX_VALUE;
    long spanTo = Long.MIN_VALUE;
    for (Head h : heads) {
      spanFrom = Math.min(spanFrom, h.start());
      spanTo = Math.max(spanTo, h.start() + Math.max(h.duration(), 1));
    }
    if (spanFrom != r.from() || spanTo != r.to()) {
      throw integrity("the record's from/to are not the carried footage's span");
    }
    // 5. the grant key
    byte[] hash = r.hash();
    byte[] kek = null;
    byte[] grantKey;
    if (viewerPrivateKey != null) {
      if (r.recipientType() != 1) {
        throw new Refused("KeyUnavailableException", "a passphrase grant");
      }
      byte[] pk = IndependentHpkeTest.publicKey(viewerPrivateKey);
      // section 5: the record's recipient key and the wrapped key's key id MUST agree
      if (!Arrays.equals(pk, r.recipientKey())
          || !Arrays.equals(Arrays.copyOf(sha256(pk), 16), Arrays.copyOf(g.wrapped(), 16))) {
        throw new Refused("KeyUnavailableException", "for another viewer");
      }
      try {
        byte[] enc = Arrays.copyOfRange(g.wrapped(), 16, 48);
        IndependentHpkeTest.Context c = IndependentHpkeTest.keySchedule(
            IndependentHpkeTest.decap(enc, viewerPrivateKey), cat(ascii("obscura/v1 share hpke-x25519"), hash),
            0x0002, 32);
        grantKey = IndependentHpkeTest.open(c, new byte[0], Arrays.copyOfRange(g.wrapped(), 48, 96));
      } catch (InvalidCipherTextException | IllegalArgumentException e) {
        throw integrity("the wrapped key does not decrypt");
      }
    } else {
      if (r.recipientType() != 2) {
        throw new Refused("KeyUnavailableException", "a viewer-key grant");
      }
      kek = argon2id(passphrase, r.salt(), null, ascii("obscura/v1 share passphrase"), r.m(), r.t(), r.p(), 32);
      try {
        grantKey = gcmOpen(kek, hash, g.wrapped());
      } catch (InvalidCipherTextException e) {
        throw new Refused("WrongSharePassphraseException", "the passphrase does not open it");
      }
    }
    if (grantKey.length != 32) {
      throw integrity("grant key length");
    }
    // 6. the segment keys
    byte[] keys;
    try {
      keys = gcmOpen(grantKey, hash, g.sealedKeys());
    } catch (InvalidCipherTextException e) {
      throw integrity("the segment keys do not decrypt");
    }
    In in = new In(keys);
    List<byte[]> segmentKeys = new ArrayList<>();
    for (Head h : heads) {
      int len = (int) in.uint(1);
      if (len != (h.suite() == 1 ? 32 : 16)) {
        throw malformed("segment key length");
      }
      segmentKeys.add(in.bytes(len));
    }
    in.end();
    // 7. every segment whole with its own key
    List<byte[]> plaintexts = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      byte[] s = g.segments().get(i);
      Head h = heads.get(i);
      try {
        plaintexts.add(IndependentVectorsTest.openChunked(s, h.headerLength(), Arrays.copyOf(s, h.headerLength()),
            segmentKeys.get(i), h.suite()));
      } catch (Refused e) {
        throw integrity("segment " + (r.first() + i) + ": " + e.getMessage());
      }
    }
    return new Opened(hash, kek, grantKey, segmentKeys, plaintexts);
  }

  static Opened verify(Map<String, String> v) throws Refused {
    boolean viewer = v.get("recipient").equals("viewer-key");
    return verify(Hex.decode(v.get("grant")), Hex.decode(v.get("owner_public_key")),
        viewer ? null : v.get("passphrase").getBytes(StandardCharsets.UTF_8),
        viewer ? Hex.decode(v.get("viewer_private_key")) : null);
  }

  /** RFC 9106 section 5.3 (Argon2id, version 0x13, with secret and associated data). */
  @Test
  void bouncyCastleArgon2idReproducesRfc9106() {
    byte[] pw = new byte[32];
    Arrays.fill(pw, (byte) 1);
    byte[] salt = new byte[16];
    Arrays.fill(salt, (byte) 2);
    byte[] secret = new byte[8];
    Arrays.fill(secret, (byte) 3);
    byte[] ad = new byte[12];
    Arrays.fill(ad, (byte) 4);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        Hex.toHexString(argon2id(pw, salt, secret, ad, 32, 3, 4, 32)));
  }

  @Test
  void shareGrantVectors() throws Exception {
    int valid = 0;
    int refused = 0;
    for (Map<String, String> v : vectors("share-grant")) {
      String scenario = v.get("scenario");
      assertEquals(Integer.parseInt(v.get("grant_length")), Hex.decode(v.get("grant")).length, scenario);
      if (v.get("expect").equals("valid")) {
        Opened o = verify(v);
        assertArrayEquals(Hex.decode(v.get("record_hash")), o.recordHash(), scenario);
        assertArrayEquals(Hex.decode(v.get("grant_key")), o.grantKey(), scenario);
        if (o.kek() != null) {
          assertArrayEquals(Hex.decode(v.get("kek")), o.kek(), scenario);
        } else {
          checkHpkeValues(v);
        }
        int n = Integer.parseInt(v.get("segments"));
        assertEquals(n, o.plaintexts().size(), scenario);
        for (int i = 0; i < n; i++) {
          assertArrayEquals(Hex.decode(v.get("segment_" + i + "_key")), o.segmentKeys().get(i), scenario);
          assertArrayEquals(Hex.decode(v.get("segment_" + i + "_plaintext")), o.plaintexts().get(i), scenario);
        }
        valid++;
      } else {
        Refused r = assertThrows(Refused.class, () -> verify(v), scenario);
        assertEquals(v.get("expect"), r.kind, scenario + ": " + r.getMessage());
        refused++;
      }
    }
    assertEquals(2, valid);
    assertEquals(20, refused);
  }

  /** The HPKE values of a viewer-key grant's wrapped key, recomputed. */
  static void checkHpkeValues(Map<String, String> v) throws Exception {
    byte[] skR = Hex.decode(v.get("viewer_private_key"));
    byte[] skE = IndependentHpkeTest.deriveKeyPair(Hex.decode(v.get("ikm_e")));
    assertArrayEquals(Hex.decode(v.get("sk_e")), IndependentKeyEnvelopeVectorsTest.clamp(skE));
    byte[] enc = IndependentHpkeTest.publicKey(skE);
    assertArrayEquals(Hex.decode(v.get("enc")), enc);
    byte[] ss = IndependentHpkeTest.decap(enc, skR);
    assertArrayEquals(Hex.decode(v.get("shared_secret")), ss);
    byte[] info = cat(ascii("obscura/v1 share hpke-x25519"), Hex.decode(v.get("record_hash")));
    assertArrayEquals(Hex.decode(v.get("hpke_info")), info);
    IndependentHpkeTest.Context c = IndependentHpkeTest.keySchedule(ss, info, 0x0002, 32);
    assertArrayEquals(Hex.decode(v.get("hpke_key")), c.key());
    assertArrayEquals(Hex.decode(v.get("base_nonce")), c.baseNonce());
  }
}
