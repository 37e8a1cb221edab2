package dev.obscura.crypto.audit;

import dev.obscura.crypto.internal.Sha256;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import dev.obscura.core.Hex;
import java.util.Objects;

/**
 * One entry of the {@link AuditLog}: who (an Ed25519 key), what (a {@link Type} and a small
 * payload), when, and the hash of the entry before it, signed by the actor.
 *
 * <pre>
 * entry = body || signature (64)
 * body:
 *   0    4   magic "OBSA"
 *   4    1   version = 0x01
 *   5    8   sequence number, 0..2^63-1 (entry i of the log has sequence i)
 *   13   8   time, microseconds since the Unix epoch, signed
 *   21   1   type (see {@link Type})
 *   22   32  actor's Ed25519 public key
 *   54   32  hash of the previous entry; 32 zero bytes for entry 0
 *   86   2   payload length, 0..{@value #MAX_PAYLOAD_BYTES}
 *   88   p   payload
 * signature = Ed25519(actor, "obscura/v1 sig audit-entry" || 0x00 || body)
 * hash(entry) = SHA-256("obscura/v1 audit" || body || signature)
 * </pre>
 *
 * <p><b>Security guarantees:</b> {@link #verifySignature()} accepts only an entry whose every
 * byte the actor signed for {@link SignaturePurpose#AUDIT_ENTRY}. Whether the actor is trusted is
 * the caller's question ({@link AuditLog#verify}).
 *
 * <p><b>Restrictions:</b> entries are signed, not encrypted: the store reads types, times,
 * actor keys and payloads. Payloads therefore carry ids and hashes, never reason texts or keys.
 */
public final class AuditEntry {
  /** What happened. */
  public enum Type {
    /** A device was enrolled (added to the roster). */
    ENROL(1),
    /** A device was revoked (removed from the roster). */
    REVOKE(2),
    /** An epoch key was rotated. */
    ROTATE(3),
    /** The archive was recovered with a recovery passphrase or code. */
    RECOVERY(4),
    /** A share grant was made (payload: see {@link dev.obscura.crypto.share.ShareGrant}). */
    SHARE(5),
    /** A roster was published. */
    ROSTER(6),
    /** Anything else; the payload says what. */
    OTHER(7),
    /**
     * Old footage of a stream was deleted by a retention policy (payload: {@link PruneRecord}):
     * the owner's attestation of where the stream now begins.
     */
    PRUNE(8);

    final int code;

    Type(int code) {
      this.code = code;
    }

    static Type of(int code) throws MalformedDataException {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new MalformedDataException("audit entry has unknown type " + code);
    }
  }

  static final byte[] MAGIC = {'O', 'B', 'S', 'A'};
  /** The only version this code writes and reads. */
  public static final int VERSION = 1;
  /** The largest payload. */
  public static final int MAX_PAYLOAD_BYTES = 4096;
  static final int FIXED_BYTES = 88;
  /** The largest encoded entry. */
  public static final int MAX_ENCODED_BYTES = FIXED_BYTES + MAX_PAYLOAD_BYTES
      + VerifyingKey.SIGNATURE_LENGTH;
  private static final byte[] HASH_LABEL = "obscura/v1 audit".getBytes(StandardCharsets.US_ASCII);

  private final long sequence;
  private final Instant time;
  private final Type type;
  private final VerifyingKey actor;
  private final byte[] previousHash;
  private final byte[] payload;
  private final byte[] body;
  private final byte[] signature;

  private AuditEntry(long sequence, Instant time, Type type, VerifyingKey actor,
      byte[] previousHash, byte[] payload, byte[] body, byte[] signature) {
    this.sequence = sequence;
    this.time = time;
    this.type = type;
    this.actor = actor;
    this.previousHash = previousHash;
    this.payload = payload;
    this.body = body;
    this.signature = signature;
  }

  /** Signs a new entry. */
  static AuditEntry sign(long sequence, Instant time, Type type, SigningKey actor,
      byte[] previousHash, byte[] payload) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0");
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("audit payload must be at most " + MAX_PAYLOAD_BYTES
          + " bytes");
    }
    if (previousHash.length != 32) {
      throw new IllegalArgumentException("previous hash must be 32 bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(FIXED_BYTES + payload.length);
    b.put(MAGIC).put((byte) VERSION).putLong(sequence).putLong(toMicros(time))
        .put((byte) type.code).put(actor.verifyingKey().rawBytes()).put(previousHash)
        .putShort((short) payload.length).put(payload);
    byte[] body = b.array();
    byte[] sig = actor.sign(SignaturePurpose.AUDIT_ENTRY, body);
    return new AuditEntry(sequence, fromMicros(toMicros(time)), type, actor.verifyingKey(),
        previousHash.clone(), payload.clone(), body, sig);
  }

  /**
   * Parses an encoded entry without verifying its signature; every length is checked before
   * anything is allocated for it.
   *
   * @throws MalformedDataException if the bytes are not a version-1 audit entry
   */
  public static AuditEntry parse(byte[] bytes) throws MalformedDataException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_ENCODED_BYTES) {
      throw new MalformedDataException("audit entry larger than " + MAX_ENCODED_BYTES + " bytes");
    }
    if (bytes.length < FIXED_BYTES + VerifyingKey.SIGNATURE_LENGTH) {
      throw new MalformedDataException("audit entry cut short");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new MalformedDataException("not an audit entry (bad magic)");
    }
    int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new MalformedDataException("unsupported audit entry version " + version);
    }
    long seq = b.getLong();
    if (seq < 0) {
      throw new MalformedDataException("audit entry has a negative sequence number");
    }
    long micros = b.getLong();
    Instant time;
    try {
      time = fromMicros(micros);
      toMicros(time);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw new MalformedDataException("audit entry has an out-of-range time");
    }
    Type type = Type.of(b.get() & 0xff);
    byte[] actor = new byte[32];
    b.get(actor);
    byte[] prev = new byte[32];
    b.get(prev);
    int n = b.getShort() & 0xffff;
    if (n > MAX_PAYLOAD_BYTES) {
      throw new MalformedDataException("audit entry payload longer than " + MAX_PAYLOAD_BYTES);
    }
    if (b.remaining() != n + VerifyingKey.SIGNATURE_LENGTH) {
      throw new MalformedDataException("audit entry length does not match its payload length");
    }
    byte[] payload = new byte[n];
    b.get(payload);
    byte[] sig = new byte[VerifyingKey.SIGNATURE_LENGTH];
    b.get(sig);
    return new AuditEntry(seq, time, type, VerifyingKey.fromRawBytes(actor), prev, payload,
        Arrays.copyOf(bytes, FIXED_BYTES + n), sig);
  }

  /** The encoded entry (a fresh array). */
  public byte[] encode() {
    byte[] out = Arrays.copyOf(body, body.length + signature.length);
    System.arraycopy(signature, 0, out, body.length, signature.length);
    return out;
  }

  /**
   * Checks the actor's signature.
   *
   * @throws IntegrityException if it does not verify (the entry was edited)
   */
  public void verifySignature() throws IntegrityException {
    actor.verify(SignaturePurpose.AUDIT_ENTRY, body, signature);
  }

  /** SHA-256("obscura/v1 audit" || body || signature): the next entry's previous hash. */
  public byte[] hash() {
    return Sha256.digest(HASH_LABEL, body, signature);
  }

  public long sequence() {
    return sequence;
  }

  public Instant time() {
    return time;
  }

  public Type type() {
    return type;
  }

  /** Who signed (authentic only after {@link #verifySignature()}). */
  public VerifyingKey actor() {
    return actor;
  }

  /** The previous entry's hash (a copy). */
  public byte[] previousHash() {
    return previousHash.clone();
  }

  /** The payload (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  static long toMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** One line: sequence, time, type, actor key id, payload size; no payload bytes. */
  @Override
  public String toString() {
    return "AuditEntry[#" + sequence + " " + time + " " + type + " by " + actor.keyIdHex() + ", "
        + payload.length + " bytes, prev " + Hex.format(previousHash, 0, 8) + "]";
  }
}
