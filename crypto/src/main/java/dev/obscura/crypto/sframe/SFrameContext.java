package dev.obscura.crypto.sframe;

import dev.obscura.crypto.keys.EpochKey;
import java.security.Provider;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;

/**
 * SFrame encryption and decryption (RFC 9605 sections 4.4.3 and 4.4.4) under the key and salt of
 * one KID. Derives {@code sframe_key} and {@code sframe_salt} once, at construction; the per-frame
 * path only builds the nonce and calls the reused cipher. Not thread-safe.
 *
 * <p>This is the raw RFC primitive: the caller chooses the CTR. {@link SFrameSender} is the only
 * production caller that seals, and it never repeats a CTR.
 */
final class SFrameContext {
  private final SFrameCipherSuite suite;
  private final long kid;
  private final byte[] salt;
  /** Live-frame prefix plus the first frame bytes: two AES blocks. */
  private static final int HEAD_BYTES = 32;

  private final byte[] nonce = new byte[12];
  private final byte[] head = new byte[HEAD_BYTES];
  private byte[] aadScratch = new byte[SFrameHeader.MAX_LENGTH];
  private final SFrameAead aead;
  private boolean destroyed;

  /**
   * Derives the key and salt of {@code kid} from {@code baseKey} (not kept; the caller wipes it),
   * with the HMAC and cipher of {@code provider} ({@code null}: the platform's preferred one).
   */
  SFrameContext(SFrameCipherSuite suite, long kid, byte[] baseKey, Provider provider) {
    this.suite = suite;
    this.kid = kid;
    byte[] secret = SFrameKeySchedule.secret(suite, baseKey, provider);
    byte[] key = SFrameKeySchedule.key(suite, secret, kid, provider);
    try {
      this.salt = SFrameKeySchedule.salt(suite, secret, kid, provider);
      this.aead = SFrameAead.create(suite, key, provider);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * The context of an epoch of Obscura live view: KID = the epoch number, keys from the epoch
   * key's SFrame base key (derived here and wiped; the epoch key is not kept).
   */
  static SFrameContext forEpoch(SFrameCipherSuite suite, EpochKey key, Provider provider) {
    byte[] base = SFrameKeySchedule.baseKey(key, provider);
    try {
      return new SFrameContext(suite, key.epoch().value(), base, provider);
    } finally {
      Arrays.fill(base, (byte) 0);
    }
  }

  SFrameCipherSuite suite() {
    return suite;
  }

  long kid() {
    return kid;
  }

  /** Exact size of the SFrame ciphertext for a plaintext of {@code plaintextLen} bytes. */
  int sealedLength(long ctr, int plaintextLen) {
    return SFrameHeader.encodedLength(kid, ctr) + plaintextLen + suite.tagBytes();
  }

  /**
   * Writes header || AEAD(p1 || p2) to {@code out} at {@code outOff} with counter {@code ctr}; the
   * associated data is header || metadata, fed to the cipher as one range (the header where it
   * was just written, or header || metadata composed in a reused scratch array when there is
   * metadata). {@code p1} goes through {@code Cipher.update}, so callers keep it a whole number
   * of blocks (or empty). Returns the bytes written.
   */
  int seal(long ctr, byte[] md, int mdOff, int mdLen, byte[] p1, int p1Off, int p1Len,
      byte[] p2, int p2Off, int p2Len, byte[] out, int outOff) {
    checkAlive();
    int hLen = SFrameHeader.encodeInto(kid, ctr, out, outOff);
    buildNonce(ctr);
    int n;
    if (mdLen == 0) {
      n = aead.encrypt(nonce, out, outOff, hLen, p1, p1Off, p1Len, p2, p2Off, p2Len, out, outOff + hLen);
    } else {
      byte[] aad = aad(out, outOff, hLen, md, mdOff, mdLen);
      n = aead.encrypt(nonce, aad, 0, hLen + mdLen, p1, p1Off, p1Len, p2, p2Off, p2Len, out, outOff + hLen);
    }
    return hLen + n;
  }

  /**
   * Seals one Obscura live frame (live-sframe-v1 section 5) from {@code frame[off, off + len)}:
   * writes header || AEAD(prefix || frame) to {@code out} at {@code outOff}, the header alone as
   * associated data. The 18-byte prefix and the first 14 frame bytes go through the cipher as
   * two whole AES blocks (no partial block for the cipher to buffer), the rest of the frame is
   * read once, by {@code doFinal}, from the caller's array. Returns the bytes written.
   */
  int sealLive(long ctr, long presentationMicros, boolean keyframe, long captureMicros,
      byte[] frame, int off, int len, byte[] out, int outOff) {
    return sealLive(ctr, presentationMicros, keyframe, false, captureMicros, frame, off, len, out,
        outOff);
  }

  /**
   * {@link #sealLive(long, long, boolean, long, byte[], int, int, byte[], int)} with the padded
   * flag: when set, {@code frame[off, off + len)} already ends with the zero padding and its
   * u32be length (live-sframe-v1 section 5.1).
   */
  int sealLive(long ctr, long presentationMicros, boolean keyframe, boolean padded,
      long captureMicros, byte[] frame, int off, int len, byte[] out, int outOff) {
    return sealLive(ctr, presentationMicros,
        (keyframe ? LiveFrame.FLAG_KEYFRAME : 0) | (padded ? LiveFrame.FLAG_PADDED : 0),
        captureMicros, frame, off, len, out, outOff);
  }

  /** The live-frame seal with the prefix's flags byte given whole (cover frames, section 5.2). */
  int sealLive(long ctr, long presentationMicros, int flags, long captureMicros, byte[] frame,
      int off, int len, byte[] out, int outOff) {
    checkAlive();
    int hLen = SFrameHeader.encodeInto(kid, ctr, out, outOff);
    buildNonce(ctr);
    LiveFrame.writePrefix(presentationMicros, flags, captureMicros, head);
    int take = Math.min(len, HEAD_BYTES - LiveFrame.PREFIX_BYTES);
    System.arraycopy(frame, off, head, LiveFrame.PREFIX_BYTES, take);
    int n;
    if (take < HEAD_BYTES - LiveFrame.PREFIX_BYTES) { // a tiny frame: all of it in one doFinal
      n = aead.encrypt(nonce, out, outOff, hLen, null, 0, 0, head, 0, LiveFrame.PREFIX_BYTES + take,
          out, outOff + hLen);
    } else {
      n = aead.encrypt(nonce, out, outOff, hLen, head, 0, HEAD_BYTES, frame, off + take, len - take,
          out, outOff + hLen);
    }
    return hLen + n;
  }

  /**
   * Opens the SFrame ciphertext {@code in[off, off + len)} whose header, already parsed, is
   * {@code hLen} bytes with counter {@code ctr}. Writes the plaintext to {@code out} and returns
   * its length. The caller has checked that {@code len >= hLen + tagBytes} and that {@code out}
   * has room.
   */
  int open(long ctr, int hLen, byte[] in, int off, int len, byte[] md, int mdOff, int mdLen,
      byte[] out, int outOff) throws AEADBadTagException {
    checkAlive();
    buildNonce(ctr);
    if (mdLen == 0) {
      return aead.decrypt(nonce, in, off, hLen, in, off + hLen, len - hLen, out, outOff);
    }
    byte[] aad = aad(in, off, hLen, md, mdOff, mdLen);
    return aead.decrypt(nonce, aad, 0, hLen + mdLen, in, off + hLen, len - hLen, out, outOff);
  }

  /** header || metadata in the reused scratch array (grown only for a larger metadata). */
  private byte[] aad(byte[] h, int hOff, int hLen, byte[] md, int mdOff, int mdLen) {
    if (aadScratch.length < hLen + mdLen) {
      aadScratch = new byte[SFrameHeader.MAX_LENGTH + mdLen];
    }
    System.arraycopy(h, hOff, aadScratch, 0, hLen);
    System.arraycopy(md, mdOff, aadScratch, hLen, mdLen);
    return aadScratch;
  }

  /** nonce = sframe_salt XOR encode_big_endian(CTR, Nn). */
  private void buildNonce(long ctr) {
    for (int i = 0; i < 4; i++) {
      nonce[i] = salt[i];
    }
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) (salt[i] ^ ctr);
      ctr >>>= 8;
    }
  }

  /** The nonce for {@code ctr} (tests only: vectors check it). */
  byte[] nonceFor(long ctr) {
    buildNonce(ctr);
    return nonce.clone();
  }

  /**
   * Wipes the salt and nonce scratch and makes the context unusable. Best effort: the JCA
   * provider keeps its own expanded copy of the key until the cipher is collected.
   */
  void destroy() {
    destroyed = true;
    Arrays.fill(salt, (byte) 0);
    Arrays.fill(nonce, (byte) 0);
    Arrays.fill(head, (byte) 0);
    Arrays.fill(aadScratch, (byte) 0);
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("SFrame key was destroyed");
    }
  }

  @Override
  public String toString() {
    return "SFrameContext[" + suite + ", kid=" + Long.toUnsignedString(kid) + "]";
  }
}
