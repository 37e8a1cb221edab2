package dev.obscura.crypto.independent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.crypto.keys.Stanza;
import dev.obscura.crypto.keys.ViewerIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

/**
 * The HPKE of key envelopes (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-256-GCM) checked by a second implementation written here from RFC 9180 with Bouncy Castle's
 * low-level X25519, HMAC-SHA256 and GCM, sharing no code with the SDK (which uses Tink's HPKE):
 *
 * <ol>
 *   <li>this implementation reproduces RFC 9180's published test vector A.1.1 (the same KEM and
 *       KDF, with AES-128-GCM): the ephemeral key from its ikm (DeriveKeyPair), the shared
 *       secret, key schedule context, secret, key, base nonce, and the first encryption;
 *   <li>it then opens stanzas that the SDK wrapped for a viewer (AES-256-GCM, info = the envelope
 *       label and header, empty aad) to the very epoch key, and refuses one with a changed header.
 * </ol>
 *
 * <p>The same code opens the committed key-envelope and share-grant vectors ({@code
 * IndependentKeyEnvelopeVectorsTest}, {@code IndependentShareGrantVectorsTest}).
 *
 * <p>The A.1.1 values are copied from RFC 9180 (Appendix A.1.1, as published in the draft that
 * became it, cfrg/draft-irtf-cfrg-hpke); RFC text is under the IETF Trust's licence (BSD-style,
 * https://trustee.ietf.org/license-info), test vectors are given there for verifying
 * implementations.
 */
class IndependentHpkeTest {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 9180 A.1.1: mode 0, kem_id 32, kdf_id 1, aead_id 1
  static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
  static final byte[] IKM_E = HEX.parseHex("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
  static final byte[] SK_EM = HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
  static final byte[] PK_EM = HEX.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
  static final byte[] PK_RM = HEX.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
  static final byte[] SK_RM = HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
  static final byte[] SHARED_SECRET =
      HEX.parseHex("fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc");
  static final byte[] KEY_SCHEDULE_CONTEXT = HEX.parseHex("00725611c9d98c07c03f60095cd32d400d8347d45ed670"
      + "97bbad50fc56da742d07cb6cffde367bb0565ba28bb02c90744a20f5ef37f3052352" + "6106f637abb05449");
  static final byte[] SECRET = HEX.parseHex("12fff91991e93b48de37e7daddb52981084bd8aa64289c3788471d9a9712f397");
  static final byte[] KEY = HEX.parseHex("4531685d41d65f03dc48f6b8302c05b0");
  static final byte[] BASE_NONCE = HEX.parseHex("56d890e5accaaf011cff4b7d");
  static final byte[] PT = HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
  static final byte[] AAD = HEX.parseHex("436f756e742d30");
  static final byte[] CT = HEX.parseHex("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a9"
      + "6d8770ac83d07bea87e13c512a");

  // ---- RFC 9180, written from its sections 4 (DHKEM), 5.1 (key schedule), 5.2 (Open) ----

  static byte[] concat(byte[]... parts) {
    return org.bouncycastle.util.Arrays.concatenate(parts);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] i2osp2(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  static byte[] extract(byte[] salt, byte[] ikm) {
    HMac mac = new HMac(new SHA256Digest());
    mac.init(new KeyParameter(salt.length == 0 ? new byte[32] : salt));
    mac.update(ikm, 0, ikm.length);
    byte[] out = new byte[32];
    mac.doFinal(out, 0);
    return out;
  }

  static byte[] expand(byte[] prk, byte[] info, int length) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
    g.init(HKDFParameters.skipExtractParameters(prk, info));
    byte[] out = new byte[length];
    g.generateBytes(out, 0, length);
    return out;
  }

  static byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm) {
    return extract(salt, concat(ascii("HPKE-v1"), suite, ascii(label), ikm));
  }

  static byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int length) {
    return expand(prk, concat(i2osp2(length), ascii("HPKE-v1"), suite, ascii(label), info), length);
  }

  /** DHKEM(X25519, HKDF-SHA256) Decap. */
  static byte[] decap(byte[] enc, byte[] skR) {
    byte[] dh = new byte[32];
    if (!X25519.calculateAgreement(skR, 0, enc, 0, dh, 0)) {
      throw new IllegalArgumentException("X25519 gave the all-zero value");
    }
    byte[] pkR = new byte[32];
    X25519.scalarMultBase(skR, 0, pkR, 0);
    byte[] suite = concat(ascii("KEM"), i2osp2(0x0020));
    byte[] prk = labeledExtract(suite, new byte[0], "eae_prk", dh);
    return labeledExpand(suite, prk, "shared_secret", concat(enc, pkR), 32);
  }

  /** DHKEM(X25519, HKDF-SHA256) DeriveKeyPair (RFC 9180 section 7.1.3): the private key. */
  static byte[] deriveKeyPair(byte[] ikm) {
    byte[] suite = concat(ascii("KEM"), i2osp2(0x0020));
    byte[] prk = labeledExtract(suite, new byte[0], "dkp_prk", ikm);
    return labeledExpand(suite, prk, "sk", new byte[0], 32);
  }

  /** The X25519 public key of {@code sk}. */
  static byte[] publicKey(byte[] sk) {
    byte[] pk = new byte[32];
    X25519.scalarMultBase(sk, 0, pk, 0);
    return pk;
  }

  record Context(byte[] keyScheduleContext, byte[] secret, byte[] key, byte[] baseNonce) {}

  /** KeySchedule, mode_base, HKDF-SHA256, the given AEAD. */
  static Context keySchedule(byte[] sharedSecret, byte[] info, int aeadId, int nk) {
    byte[] suite = concat(ascii("HPKE"), i2osp2(0x0020), i2osp2(0x0001), i2osp2(aeadId));
    byte[] pskIdHash = labeledExtract(suite, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(suite, new byte[0], "info_hash", info);
    byte[] ksc = concat(new byte[] {0}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(suite, sharedSecret, "secret", new byte[0]);
    return new Context(ksc, secret, labeledExpand(suite, secret, "key", ksc, nk),
        labeledExpand(suite, secret, "base_nonce", ksc, 12));
  }

  /** Open with sequence number 0 (nonce = base_nonce). */
  static byte[] open(Context c, byte[] aad, byte[] ct) throws InvalidCipherTextException {
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(false, new AEADParameters(new KeyParameter(c.key()), 128, c.baseNonce(), aad));
    byte[] out = new byte[gcm.getOutputSize(ct.length)];
    int n = gcm.processBytes(ct, 0, ct.length, out, 0);
    n += gcm.doFinal(out, n);
    return Arrays.copyOf(out, n);
  }

  @Test
  void thisImplementationReproducesRfc9180A11() throws Exception {
    assertArrayEquals(PK_RM, publicKey(SK_RM));
    assertArrayEquals(SK_EM, deriveKeyPair(IKM_E));
    assertArrayEquals(PK_EM, publicKey(SK_EM));
    byte[] ss = decap(PK_EM, SK_RM);
    assertArrayEquals(SHARED_SECRET, ss);
    Context c = keySchedule(ss, INFO, 0x0001, 16);
    assertArrayEquals(KEY_SCHEDULE_CONTEXT, c.keyScheduleContext());
    assertArrayEquals(SECRET, c.secret());
    assertArrayEquals(KEY, c.key());
    assertArrayEquals(BASE_NONCE, c.baseNonce());
    assertArrayEquals(PT, open(c, AAD, CT));
    byte[] bad = CT.clone();
    bad[3] ^= 1;
    assertThrows(InvalidCipherTextException.class, () -> open(c, AAD, bad));
  }

  /** The SDK's stanza body: key id (16) | enc (32) | AES-256-GCM ciphertext of the epoch key. */
  @Test
  void itOpensTheStanzasTheSdkWraps() throws Exception {
    List<byte[]> draws = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    EntropySource recording = b -> {
      random.nextBytes(b);
      draws.add(b.clone());
    };
    ViewerIdentity viewer = ViewerIdentity.generate(recording);
    byte[] skR = draws.get(0); // the first draw is the X25519 private key (X25519 clamps it)
    byte[] pkR = new byte[32];
    X25519.scalarMultBase(skR, 0, pkR, 0);
    byte[] label = ascii("obscura/v1 envelope hpke-x25519");
    SHA256Digest sha = new SHA256Digest();
    sha.update(pkR, 0, 32);
    byte[] digest = new byte[32];
    sha.doFinal(digest, 0);
    byte[] keyId = Arrays.copyOf(digest, 16);
    for (int i = 0; i < 8; i++) {
      byte[] keyBytes = new byte[32];
      random.nextBytes(keyBytes);
      StreamId stream = StreamId.of("porch");
      EpochId epoch = EpochId.of(i);
      EpochKey epochKey = new EpochKey(stream, epoch, SecretBytes.copyFrom(keyBytes, InsecureSecretAccess.get()));
      byte[] header = new EnvelopeHeader(stream, epoch, Instant.ofEpochSecond(1_700_000_000L + i)).toBytes();
      Stanza s = viewer.publicKey().wrap(epochKey, header);
      assertEquals(Stanza.TYPE_HPKE_X25519, s.type());
      byte[] body = s.body();
      assertEquals(16 + 32 + 48, body.length);
      assertArrayEquals(keyId, Arrays.copyOf(body, 16), "key id = SHA-256(public key)[0..16]");
      byte[] enc = Arrays.copyOfRange(body, 16, 48);
      byte[] ct = Arrays.copyOfRange(body, 48, body.length);
      Context c = keySchedule(decap(enc, skR), concat(label, header), 0x0002, 32);
      assertArrayEquals(keyBytes, open(c, new byte[0], ct), "stanza " + i);
      // the same stanza under another header's info does not open
      byte[] other = new EnvelopeHeader(stream, EpochId.of(i + 1), Instant.ofEpochSecond(1_700_000_000L + i)).toBytes();
      Context wrong = keySchedule(decap(enc, skR), concat(label, other), 0x0002, 32);
      assertThrows(InvalidCipherTextException.class, () -> open(wrong, new byte[0], ct));
    }
  }
}
