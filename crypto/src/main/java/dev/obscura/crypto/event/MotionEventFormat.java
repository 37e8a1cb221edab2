package dev.obscura.crypto.event;

import dev.obscura.core.EpochId;
import dev.obscura.core.EventId;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.internal.Hkdf;
import dev.obscura.crypto.internal.Jca;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed motion event format, version 1 ({@code docs/spec/motion-event-v1.md}): one record
 * per event, sealed under a key derived from the epoch key with its own label, signed by the
 * camera, and padded so that the whole record is exactly one of {@link #BUCKETS}.
 *
 * <pre>
 * sealed event = header || ciphertext || signature
 * header       = "OBEV" || u8 version (1) || u8 suite (1) || u8 len(stream) || stream (ASCII)
 *                || u64 epoch || u64 sequence || 16-byte event id || 12-byte nonce
 *                || u32 len(ciphertext)
 * ciphertext   = AES-256-GCM(event key, nonce, AAD = header, padded plaintext)
 * signature    = Ed25519(camera, "obscura/v1 sig motion-event" || 0x00 || header || ciphertext)
 * plaintext    = u8 version (1) || i64 start || i64 end || i64 peak (microseconds since 1970)
 *                || u64 first segment || u64 last segment || u32 len(thumbnail) || thumbnail
 *                || zero bytes up to the bucket
 * event key    = HKDF-SHA-256(IKM = epoch key, salt = empty,
 *                  info = "obscura/v1 motion-event" || u8 len(stream) || stream || u64 epoch, L = 32)
 * </pre>
 *
 * <p><b>Padding rule:</b> the record is the smallest of 16 KiB, 32 KiB and 64 KiB that holds
 * the header, the 45 fixed plaintext bytes, the thumbnail, the 16-byte tag and the signature; the
 * plaintext is filled with zero bytes up to it (a reader refuses non-zero padding). A thumbnail
 * too large for 64 KiB is refused: the camera shrinks it first (the SDK's detector re-encodes it
 * smaller). So a store or a bus sees one of three sizes, never the thumbnail's.
 *
 * <p><b>Security guarantees:</b> parsing is bounded: no allocation is sized by a field before it
 * is checked against {@link #MAX_SEALED_BYTES} and the bytes actually present.
 */
public final class MotionEventFormat {
  /** The sizes a sealed event can have, in bytes. */
  public static final int[] BUCKETS = {16 * 1024, 32 * 1024, 64 * 1024};
  /** The largest sealed event. */
  public static final int MAX_SEALED_BYTES = 64 * 1024;
  /** Bytes of the plaintext before the thumbnail. */
  public static final int FIXED_PLAINTEXT_BYTES = 1 + 8 + 8 + 8 + 8 + 8 + 4;
  /** Bytes of the header besides the stream id. */
  static final int FIXED_HEADER_BYTES = 4 + 1 + 1 + 1 + 8 + 8 + EventId.LENGTH + 12 + 4;
  static final int TAG_BYTES = 16;
  static final int NONCE_BYTES = 12;
  /** The largest thumbnail every stream can carry (a stream id of the maximum length). */
  public static final int MAX_THUMBNAIL_BYTES = MAX_SEALED_BYTES - FIXED_HEADER_BYTES - StreamId.MAX_LENGTH
      - TAG_BYTES - VerifyingKey.SIGNATURE_LENGTH - FIXED_PLAINTEXT_BYTES;

  static final byte[] MAGIC = {'O', 'B', 'E', 'V'};
  static final byte VERSION = 1;
  static final byte SUITE_AES256GCM_HKDF_SHA256 = 1;
  static final byte[] LABEL = "obscura/v1 motion-event".getBytes(StandardCharsets.US_ASCII);

  private MotionEventFormat() {}

  /**
   * The size of the sealed record of an event of {@code stream} with a thumbnail of {@code
   * thumbnailBytes}: the padding rule.
   *
   * @param stream the stream
   * @param thumbnailBytes the thumbnail's size
   * @return one of {@link #BUCKETS}
   * @throws IllegalArgumentException if the thumbnail does not fit in the largest bucket
   */
  public static int bucketFor(StreamId stream, int thumbnailBytes) {
    long need = (long) headerBytes(stream) + FIXED_PLAINTEXT_BYTES + thumbnailBytes + TAG_BYTES
        + VerifyingKey.SIGNATURE_LENGTH;
    for (int b : BUCKETS) {
      if (need <= b) {
        return b;
      }
    }
    throw new IllegalArgumentException("a thumbnail of " + thumbnailBytes + " bytes does not fit the largest"
        + " event bucket of " + MAX_SEALED_BYTES + " bytes: shrink it");
  }

  /**
   * The bytes of an event's record before padding (header, plaintext, tag and signature): what
   * the size would be without the padding rule.
   *
   * @param stream the stream
   * @param thumbnailBytes the thumbnail's size
   * @return the unpadded size
   */
  public static int unpaddedBytes(StreamId stream, int thumbnailBytes) {
    return headerBytes(stream) + FIXED_PLAINTEXT_BYTES + thumbnailBytes + TAG_BYTES + VerifyingKey.SIGNATURE_LENGTH;
  }

  static int headerBytes(StreamId stream) {
    return FIXED_HEADER_BYTES + stream.toBytes().length;
  }

  /** The event key of an epoch: the HKDF above. The caller wipes it. */
  static byte[] deriveKey(EpochKey epochKey) {
    byte[] sid = epochKey.stream().toBytes();
    byte[] info = ByteBuffer.allocate(LABEL.length + 1 + sid.length + 8).put(LABEL).put((byte) sid.length).put(sid)
        .putLong(epochKey.epoch().value()).array();
    byte[] ikm = epochKey.secret().toByteArray(InsecureSecretAccess.get());
    byte[] prk = null;
    try {
      Hkdf hkdf = new Hkdf("HmacSHA256");
      prk = hkdf.extract(new byte[0], ikm);
      return hkdf.expand(prk, info, 32);
    } finally {
      Arrays.fill(ikm, (byte) 0);
      if (prk != null) {
        Arrays.fill(prk, (byte) 0);
      }
    }
  }

  /**
   * The public header of a sealed event, parsed without a key.
   *
   * @param stream the stream it claims
   * @param epoch the epoch whose key sealed it
   * @param sequence the camera's event counter within the epoch
   * @param id the event's id
   * @param headerLength where the ciphertext starts
   * @param ciphertextLength its length
   */
  public record Header(StreamId stream, EpochId epoch, long sequence, EventId id, int headerLength,
      int ciphertextLength) {
    /**
     * Whether this event comes after {@code other} in the camera's order: by epoch, then sequence.
     *
     * @param other another header
     * @return negative, zero or positive
     */
    public int compareOrder(Header other) {
      int c = epoch.compareTo(other.epoch);
      return c != 0 ? c : Long.compare(sequence, other.sequence);
    }
  }

  /**
   * Parses the public header of a sealed event and checks its lengths against the bytes present.
   *
   * @param sealed the sealed record
   * @return its header
   * @throws MalformedDataException if it does not parse: wrong magic, version or suite, a length
   *     out of range, a record that is not a bucket size
   */
  public static Header parseHeader(byte[] sealed) throws MalformedDataException {
    if (sealed.length > MAX_SEALED_BYTES) {
      throw new MalformedDataException("a sealed event is at most " + MAX_SEALED_BYTES + " bytes, not " + sealed.length);
    }
    if (sealed.length < FIXED_HEADER_BYTES + 1 || !dev.obscura.core.Bytes.startsWith(sealed, MAGIC)) {
      throw new MalformedDataException("not a sealed motion event (bad magic or too short)");
    }
    if (sealed[4] != VERSION || sealed[5] != SUITE_AES256GCM_HKDF_SHA256) {
      throw new MalformedDataException("sealed motion event of version " + sealed[4] + ", suite " + sealed[5]
          + ": only version 1, suite 1 is known");
    }
    int sidLen = sealed[6] & 0xff;
    if (sidLen < 1 || sidLen > StreamId.MAX_LENGTH) {
      throw new MalformedDataException("stream id length " + sidLen + " is out of range");
    }
    int headerLength = FIXED_HEADER_BYTES + sidLen;
    if (sealed.length < headerLength + TAG_BYTES + VerifyingKey.SIGNATURE_LENGTH) {
      throw new MalformedDataException("sealed motion event cut short (" + sealed.length + " bytes)");
    }
    StreamId stream;
    try {
      stream = new StreamId(new String(sealed, 7, sidLen, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("the sealed event's stream id is not valid");
    }
    ByteBuffer b = ByteBuffer.wrap(sealed, 7 + sidLen, headerLength - 7 - sidLen);
    long epoch = b.getLong();
    long sequence = b.getLong();
    byte[] id = new byte[EventId.LENGTH];
    b.get(id);
    b.get(new byte[NONCE_BYTES]); // the nonce: read by open()
    long ctLen = b.getInt() & 0xffffffffL;
    if (!EpochId.isValid(epoch) || sequence < 0) {
      throw new MalformedDataException("the sealed event's epoch or sequence is out of range");
    }
    if (ctLen != sealed.length - headerLength - VerifyingKey.SIGNATURE_LENGTH || ctLen < TAG_BYTES) {
      throw new MalformedDataException("the sealed event's ciphertext length " + ctLen + " does not match its "
          + sealed.length + " bytes");
    }
    boolean bucket = false;
    for (int s : BUCKETS) {
      bucket |= s == sealed.length;
    }
    if (!bucket) {
      throw new MalformedDataException("a sealed event of " + sealed.length + " bytes is not a bucket size");
    }
    return new Header(stream, EpochId.of(epoch), sequence, EventId.of(id), headerLength, (int) ctLen);
  }

  /** Builds the sealed record (unsigned signature slot filled by the caller's signer). */
  static byte[] seal(byte[] eventKey, StreamId stream, EpochId epoch, long sequence, EventId id, byte[] nonce,
      MotionEventDraft draft, long firstSegment, long lastSegment, Signer signer) {
    byte[] sid = stream.toBytes();
    byte[] thumb = draft.thumbnail();
    int total = bucketFor(stream, thumb.length);
    int headerLength = FIXED_HEADER_BYTES + sid.length;
    int ctLen = total - headerLength - VerifyingKey.SIGNATURE_LENGTH;
    byte[] out = new byte[total];
    ByteBuffer h = ByteBuffer.wrap(out);
    h.put(MAGIC).put(VERSION).put(SUITE_AES256GCM_HKDF_SHA256).put((byte) sid.length).put(sid)
        .putLong(epoch.value()).putLong(sequence).put(id.toBytes()).put(nonce).putInt(ctLen);
    byte[] plain = new byte[ctLen - TAG_BYTES];
    ByteBuffer p = ByteBuffer.wrap(plain);
    p.put(VERSION).putLong(micros(draft.start())).putLong(micros(draft.end())).putLong(micros(draft.peak()))
        .putLong(firstSegment).putLong(lastSegment).putInt(thumb.length).put(thumb);
    try {
      Cipher c = Jca.cipher("AES/GCM/NoPadding", null);
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(eventKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(out, 0, headerLength);
      c.doFinal(plain, 0, plain.length, out, headerLength);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused to seal an event: " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    byte[] signed = Arrays.copyOf(out, total - VerifyingKey.SIGNATURE_LENGTH);
    byte[] sig = signer.sign(signed);
    System.arraycopy(sig, 0, out, total - VerifyingKey.SIGNATURE_LENGTH, sig.length);
    return out;
  }

  /** Signs the bytes of a record before its signature. */
  interface Signer {
    byte[] sign(byte[] headerAndCiphertext);
  }

  /** The signed part of a sealed record: header and ciphertext. */
  static byte[] signedPart(byte[] sealed) {
    return Arrays.copyOf(sealed, sealed.length - VerifyingKey.SIGNATURE_LENGTH);
  }

  /** The signature of a sealed record. */
  static byte[] signature(byte[] sealed) {
    return Arrays.copyOfRange(sealed, sealed.length - VerifyingKey.SIGNATURE_LENGTH, sealed.length);
  }

  /** The opened plaintext fields. */
  record Content(Instant start, Instant end, Instant peak, long firstSegment, long lastSegment, byte[] thumbnail) {}

  /**
   * Decrypts and parses the plaintext of a record whose signature was verified.
   *
   * @throws EventRefusedException DECRYPTION if it does not open, CONTENT if it breaks the rules
   */
  static Content open(byte[] eventKey, byte[] sealed, Header h) throws EventRefusedException {
    byte[] nonce = Arrays.copyOfRange(sealed, h.headerLength() - 4 - NONCE_BYTES, h.headerLength() - 4);
    byte[] plain;
    try {
      Cipher c = Jca.cipher("AES/GCM/NoPadding", null);
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(eventKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      c.updateAAD(sealed, 0, h.headerLength());
      plain = c.doFinal(sealed, h.headerLength(), h.ciphertextLength());
    } catch (AEADBadTagException e) {
      throw new EventRefusedException(EventRefusedException.Reason.DECRYPTION, "event " + h.id() + " of "
          + h.stream() + " does not open under the event key of " + h.epoch() + " (tampered or sealed under another key)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM refused to open an event: " + e.getClass().getSimpleName());
    }
    try {
      String what = "event " + h.id() + " of " + h.stream();
      if (plain.length < FIXED_PLAINTEXT_BYTES || plain[0] != VERSION) {
        throw new EventRefusedException(EventRefusedException.Reason.CONTENT, what + ": unknown plaintext version");
      }
      ByteBuffer p = ByteBuffer.wrap(plain, 1, plain.length - 1);
      long start = p.getLong();
      long end = p.getLong();
      long peak = p.getLong();
      long first = p.getLong();
      long last = p.getLong();
      long thumbLen = p.getInt() & 0xffffffffL;
      if (thumbLen > plain.length - FIXED_PLAINTEXT_BYTES) {
        throw new EventRefusedException(EventRefusedException.Reason.CONTENT, what + ": thumbnail length "
            + thumbLen + " exceeds the record");
      }
      if (end < start || first < 0 || last < first) {
        throw new EventRefusedException(EventRefusedException.Reason.CONTENT, what + ": times or segment range reversed");
      }
      byte[] thumb = new byte[(int) thumbLen];
      p.get(thumb);
      int padFrom = FIXED_PLAINTEXT_BYTES + (int) thumbLen;
      if (!dev.obscura.core.Bytes.isZero(plain, padFrom, plain.length - padFrom)) {
        throw new EventRefusedException(EventRefusedException.Reason.CONTENT, what + ": its padding is not zero");
      }
      return new Content(instant(start), instant(end), instant(peak), first, last, thumb);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Sorts messages into the camera's order by their public headers (epoch, then sequence); those
   * whose header does not parse go last, in their given order (a reader refuses them).
   *
   * @param messages the messages
   * @return a new list, sorted
   */
  public static java.util.List<dev.obscura.core.EventMessage> inCameraOrder(
      java.util.List<dev.obscura.core.EventMessage> messages) {
    java.util.List<Object[]> keyed = new java.util.ArrayList<>();
    for (dev.obscura.core.EventMessage m : messages) {
      Header h;
      try {
        h = parseHeader(m.sealed());
      } catch (MalformedDataException e) {
        h = null;
      }
      keyed.add(new Object[] {h, m});
    }
    keyed.sort((a, b) -> {
      Header x = (Header) a[0];
      Header y = (Header) b[0];
      return x == null ? (y == null ? 0 : 1) : y == null ? -1 : x.compareOrder(y);
    });
    java.util.List<dev.obscura.core.EventMessage> out = new java.util.ArrayList<>();
    for (Object[] k : keyed) {
      out.add((dev.obscura.core.EventMessage) k[1]);
    }
    return out;
  }

  /**
   * An instant as the format writes it: microseconds since 1970 (finer digits dropped).
   *
   * @param t the instant
   * @return microseconds since 1970-01-01T00:00:00Z
   * @throws ArithmeticException if it does not fit in 64 bits
   */
  public static long micros(Instant t) {
    long seconds = t.getEpochSecond();
    int us = t.getNano() / 1000;
    if (seconds < 0 && us > 0) {
      // (s + 1) s - (1 s - us): the same value without the intermediate product overflowing
      // just below Long.MIN_VALUE (found by MotionEventOpenFuzzTest)
      return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000L), us - 1_000_000L);
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), us);
  }

  /** Whether {@link #micros} can write {@code t}. */
  static boolean fits(Instant t) {
    try {
      micros(t);
      return true;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
