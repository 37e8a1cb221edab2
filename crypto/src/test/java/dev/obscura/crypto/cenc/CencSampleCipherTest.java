package dev.obscura.crypto.cenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obscura.core.EntropySource;
import dev.obscura.core.Hex;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import dev.obscura.transport.testing.SecretScan;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cenc} sample cipher against an independent computation: the key stream built here
 * block by block with plain AES/ECB over IV || 64-bit big-endian block counter, XORed over the
 * protected bytes taken as one continuous stream, clear bytes untouched.
 */
class CencSampleCipherTest {
  static final byte[] KID = Hex.parse("00112233445566778899aabbccddeeff");
  static final byte[] KEY = Hex.parse("2b7e151628aed2a6abf7158809cf4f3c");
  static final byte[] IV = Hex.parse("f0f1f2f3f4f5f6f7");

  static CencKey key() {
    return CencKey.of(KID, SecretBytes.copyFrom(KEY, InsecureSecretAccess.get()));
  }

  /** The reference: AES-ECB of IV || counter, for as many blocks as needed. */
  static byte[] keystream(byte[] key, byte[] iv, int bytes) throws Exception {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long ctr = 0; out.size() < bytes; ctr++) {
      byte[] block = new byte[16];
      System.arraycopy(iv, 0, block, 0, 8);
      for (int i = 0; i < 8; i++) {
        block[15 - i] = (byte) (ctr >>> (8 * i));
      }
      out.write(ecb.doFinal(block));
    }
    return Arrays.copyOf(out.toByteArray(), bytes);
  }

  static byte[] reference(byte[] plain, Subsamples map) throws Exception {
    byte[] ks = keystream(KEY, IV, (int) map.totalProtectedBytes());
    byte[] out = plain.clone();
    int p = 0;
    int k = 0;
    for (int i = 0; i < map.count(); i++) {
      p += map.clearBytes(i);
      for (int j = 0; j < map.protectedBytes(i); j++) {
        out[p++] ^= ks[k++];
      }
    }
    return out;
  }

  @Test
  void firstBlockIsAesOfIvAndZeroCounter() throws Exception {
    byte[] zeros = new byte[16];
    new CencSampleCipher(key(), null).apply(IV, zeros, 0, Subsamples.of(new int[] {0}, new int[] {16}));
    // AES-128(2b7e..., f0f1f2f3f4f5f6f7 0000000000000000), computed with ECB in the reference
    assertArrayEquals(keystream(KEY, IV, 16), zeros);
    assertFalse(Arrays.equals(new byte[16], zeros));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void subsamplesContinueOneKeyStreamAcrossRanges(long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    int pairs = 1 + r.nextInt(6);
    int[] c = new int[pairs];
    int[] q = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      c[i] = r.nextInt(40);
      q[i] = r.nextInt(70); // odd lengths: ranges end inside AES blocks
    }
    Subsamples map = Subsamples.of(c, q);
    byte[] plain = new byte[map.totalBytes() + 7];
    for (int i = 0; i < plain.length; i++) {
      plain[i] = (byte) r.nextInt(256);
    }
    byte[] buf = new byte[plain.length + 3];
    System.arraycopy(plain, 0, buf, 3, plain.length);
    CencSampleCipher cipher = new CencSampleCipher(key(), null);
    cipher.apply(IV, buf, 3, map);
    byte[] expected = reference(plain, map);
    assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, buf.length), "ciphertext");
    cipher.apply(IV, buf, 3, map);
    assertArrayEquals(plain, Arrays.copyOfRange(buf, 3, buf.length), "decrypting is the same operation");
  }

  @Test
  void aFlippedCiphertextBitFlipsThePlaintextBitUndetected() {
    Subsamples map = Subsamples.of(new int[] {5}, new int[] {40});
    byte[] plain = new byte[45];
    Arrays.fill(plain, (byte) 0x42);
    byte[] ct = plain.clone();
    CencSampleCipher cipher = new CencSampleCipher(key(), null);
    cipher.apply(IV, ct, 0, map);
    ct[20] ^= 0x01;
    cipher.apply(IV, ct, 0, map); // no error: counter mode has no integrity
    byte[] expected = plain.clone();
    expected[20] ^= 0x01;
    assertArrayEquals(expected, ct);
  }

  @Test
  void encryptorWritesSencEntriesWithDistinctSequentialIvs() throws Exception {
    // a slice NAL (type 5) after an SPS (type 7), 4-byte length prefixes
    byte[] sample = Hex.parse("0000000367420a" + "00000006" + "65" + "8899aabbcc");
    CencEncryptor enc = new CencEncryptor(key(), null, EntropySource.insecureDeterministicForTests(7));
    byte[] s1 = sample.clone();
    byte[] e1 = enc.encryptSample(s1, 0, s1.length, 4);
    byte[] s2 = sample.clone();
    byte[] e2 = enc.encryptSample(s2, 0, s2.length, 4);
    assertEquals(8 + 2 + 6, e1.length);
    Subsamples map = Subsamples.decode(e1, 8, e1.length);
    assertEquals(Subsamples.of(new int[] {7 + 4 + 1}, new int[] {5}), map);
    long iv1 = java.nio.ByteBuffer.wrap(e1, 0, 8).getLong();
    long iv2 = java.nio.ByteBuffer.wrap(e2, 0, 8).getLong();
    assertEquals(iv1 + 1, iv2);
    assertArrayEquals(Arrays.copyOf(sample, 12), Arrays.copyOf(s1, 12), "length prefixes and headers stay clear");
    assertFalse(Arrays.equals(Arrays.copyOfRange(sample, 12, 17), Arrays.copyOfRange(s1, 12, 17)));
    byte[] ks = keystream(KEY, Arrays.copyOf(e1, 8), 5);
    for (int i = 0; i < 5; i++) {
      assertEquals((byte) (sample[12 + i] ^ ks[i]), s1[12 + i]);
    }
    assertFalse(Arrays.equals(s1, s2), "two samples never share key stream");
  }

  @Test
  void keyNeverInToStringAndKeyFileIsOwnerOnly(@TempDir Path dir) throws Exception {
    CencKey k = key();
    String keyHex = Hex.format(KEY);
    SecretScan.assertNoLeak(k + "\n" + new CencEncryptor(k, null, EntropySource.system()), KEY);
    assertTrue(k.toString().contains(Hex.format(KID)));
    Path f = dir.resolve("k.txt");
    k.writeKeyFile(f);
    assertEquals(Hex.format(KID) + ":" + keyHex + "\n", Files.readString(f));
    assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(f));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> k.writeKeyFile(f));
    CencKey back = CencKey.parse(Files.readString(f));
    assertArrayEquals(KID, back.keyId());
    assertTrue(back.key().equalsSecretBytes(k.key()));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> CencKey.parse(keyHex + ":zz"));
    SecretScan.assertNoLeak(bad.getMessage(), KEY); // a bad line is never quoted
    // the scan's control: the key file does show the key
    assertThrows(AssertionError.class, () -> SecretScan.assertNoLeak(Files.readString(f), KEY));
  }

  @Test
  void generatedKeysDiffer() {
    EntropySource e = EntropySource.system();
    CencKey a = CencKey.generate(e);
    CencKey b = CencKey.generate(e);
    assertFalse(Arrays.equals(a.keyId(), b.keyId()));
    assertFalse(a.key().equalsSecretBytes(b.key()));
  }
}
