package dev.obscura.crypto.envelope;

import dev.obscura.core.Bytes;
import dev.obscura.core.EnvelopeHeader;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.keys.Stanza;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Collection;
import dev.obscura.core.Hex;
import java.security.MessageDigest;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.roster.RosterRef;

/**
 * The key envelope of one epoch of one stream: the epoch key wrapped once for every recipient,
 * stored beside the segments as {@code ObjectNames.envelope(stream, epoch)}.
 *
 * <p><b>Format</b> (version 1; all integers big-endian):
 *
 * <pre>
 * envelope = header stanza-count stanza{stanza-count}
 * header   = EnvelopeHeader (core): "OBSE" | version 1 | u8 n | stream id (n) | u64 epoch | i64 created (us)
 * stanza-count = u16, 1..1024
 * stanza   = u8 type | u16 body length (0..4096) | body
 * </pre>
 *
 * The whole envelope is at most 1 MiB, and ends exactly after the last stanza. Type 1 is an
 * HPKE-X25519 recipient (see {@link Stanza}); unknown types are skipped when opening.
 *
 * <p><b>Security guarantees:</b> each stanza binds the header bytes (stream, epoch, creation
 * time), so a stanza moved to another envelope does not open. {@link #open} returns a key only if
 * the identity's own stanza decrypts under this header, and the key's stream and epoch are the
 * header's. Bounds are checked before anything they size is allocated. Messages never contain
 * key bytes.
 *
 * <p><b>Camera signature</b> (stanza type 2, written by {@link #seal(EnvelopeHeader, EpochKey,
 * List, SigningKey)}): the last stanza; body = the camera key's id (16, {@link
 * VerifyingKey#keyId()}) || Ed25519 signature (64) with {@link SignaturePurpose#ENVELOPE} over
 * every byte of the envelope before that stanza (header, stanza count, all other stanzas). A
 * reader that knows the camera's key ({@link #verifySignature}) thereby knows the whole envelope,
 * recipient list included, is the camera's. Readers of the issue-2 code skip the stanza.
 *
 * <p><b>Roster reference</b> (stanza type 4, written by {@link #seal(EnvelopeHeader, EpochKey,
 * List, SigningKey, RosterRef)}): the roster version and digest the recipients were taken from,
 * just before the signature, so it is signed. Readers use it to pick the camera key in force for
 * that roster and to tell an epoch sealed for a roster older than one an owner had already
 * signed (a withheld revocation): see {@code dev.obscura.crypto.trust.VerifiedStore}.
 *
 * <p><b>Restrictions:</b> an unsigned envelope, or one read without checking the signature, is
 * not authenticated as a whole: a store can drop or reorder other recipients' stanzas or add its
 * own, and, since HPKE base mode has no sender authentication, can replace the whole envelope
 * with one that wraps a key of its choosing to the same recipients. Recipient lists are not
 * hidden: each HPKE stanza carries its recipient's key id.
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * EnvelopeHeader header = new EnvelopeHeader(stream, epoch, clock.instant());
 * byte[] envelope = KeyEnvelope.seal(header, epochKey, List.of(phone, tablet));
 * store.put(ObjectNames.envelope(stream, epoch), envelope);
 * // on the phone
 * EpochKey key = KeyEnvelope.open(envelope, phoneIdentity);
 * }</pre>
 */
public final class KeyEnvelope {
  /** The most stanzas an envelope may hold. */
  public static final int MAX_STANZAS = 1024;
  /** The largest stanza body, in bytes. */
  public static final int MAX_STANZA_BODY_BYTES = Stanza.MAX_BODY_BYTES;
  /** The largest envelope, in bytes (1 MiB). */
  public static final int MAX_ENVELOPE_BYTES = 1 << 20;

  private static final int STANZA_HEADER_BYTES = 3;

  private final EnvelopeHeader header;
  private final List<Stanza> stanzas;

  private KeyEnvelope(EnvelopeHeader header, List<Stanza> stanzas) {
    this.header = header;
    this.stanzas = Collections.unmodifiableList(stanzas);
  }

  /** The envelope's header (stream, epoch, creation time). */
  public EnvelopeHeader header() {
    return header;
  }

  /** All stanzas, in order, including types this code does not know. */
  public List<Stanza> stanzas() {
    return stanzas;
  }

  /**
   * Wraps {@code key} for every recipient under {@code header}.
   *
   * @throws IllegalArgumentException if there are no recipients or more than {@link
   *     #MAX_STANZAS}, if the key's stream or epoch differs from the header's, or if the
   *     envelope would exceed {@link #MAX_ENVELOPE_BYTES}
   */
  public static byte[] seal(EnvelopeHeader header, EpochKey key, List<? extends Recipient> recipients) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(recipients, "recipients");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs at least one recipient");
    }
    if (recipients.size() > MAX_STANZAS) {
      throw new IllegalArgumentException("an envelope holds at most " + MAX_STANZAS + " stanzas");
    }
    if (!key.stream().equals(header.stream()) || !key.epoch().equals(header.epoch())) {
      throw new IllegalArgumentException(
          "key of " + key.stream() + " " + key.epoch() + " does not belong in the envelope of "
              + header.stream() + " " + header.epoch());
    }
    byte[] headerBytes = header.toBytes();
    List<Stanza> stanzas = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      Stanza s = Objects.requireNonNull(r, "recipient").wrap(key, headerBytes.clone());
      stanzas.add(Objects.requireNonNull(s, "stanza"));
    }
    return encode(header, stanzas);
  }

  /**
   * Wraps {@code key} for every recipient and signs the envelope with the camera's key: the
   * signature stanza (type 2) comes last.
   */
  public static byte[] seal(EnvelopeHeader header, EpochKey key, List<? extends Recipient> recipients,
      SigningKey camera) {
    return seal(header, key, recipients, camera, null);
  }

  /**
   * Wraps {@code key} for every recipient, names the roster they come from ({@code roster}, may be
   * null for a store without a roster), and signs the envelope with the camera's key.
   */
  public static byte[] seal(EnvelopeHeader header, EpochKey key, List<? extends Recipient> recipients,
      SigningKey camera, RosterRef roster) {
    Objects.requireNonNull(camera, "camera");
    if (recipients.size() + 2 > MAX_STANZAS) {
      throw new IllegalArgumentException("an envelope holds at most " + MAX_STANZAS + " stanzas");
    }
    KeyEnvelope unsigned;
    try {
      unsigned = parse(seal(header, key, recipients));
    } catch (MalformedDataException e) {
      throw new IllegalStateException("sealed envelope does not parse", e);
    }
    List<Stanza> stanzas = new ArrayList<>(unsigned.stanzas);
    if (roster != null) {
      stanzas.add(new Stanza(Stanza.TYPE_ROSTER, roster.encode()));
    }
    byte[] keyId = camera.verifyingKey().keyId();
    // placeholder of the right size: the signed prefix does not include the signature stanza
    stanzas.add(new Stanza(Stanza.TYPE_CAMERA_SIGNATURE, new byte[SIGNATURE_BODY_BYTES]));
    byte[] encoded = encode(header, stanzas);
    int prefix = encoded.length - STANZA_HEADER_BYTES - SIGNATURE_BODY_BYTES;
    byte[] sig = camera.sign(SignaturePurpose.ENVELOPE, Arrays.copyOf(encoded, prefix));
    System.arraycopy(keyId, 0, encoded, prefix + STANZA_HEADER_BYTES, keyId.length);
    System.arraycopy(sig, 0, encoded, prefix + STANZA_HEADER_BYTES + keyId.length, sig.length);
    return encoded;
  }

  /** Body length of a camera signature stanza: key id (16) || Ed25519 signature (64). */
  public static final int SIGNATURE_BODY_BYTES = 16 + VerifyingKey.SIGNATURE_LENGTH;

  /**
   * The roster this envelope says it was wrapped for (authenticated only once {@link
   * #verifySignature} passed).
   *
   * @throws MalformedDataException if there are several roster stanzas, or one of the wrong size
   */
  public Optional<RosterRef> rosterRef() throws MalformedDataException {
    RosterRef found = null;
    for (Stanza s : stanzas) {
      if (s.type() == Stanza.TYPE_ROSTER) {
        if (found != null) {
          throw new MalformedDataException("the key envelope names more than one roster");
        }
        try {
          found = RosterRef.decode(s.body());
        } catch (IllegalArgumentException e) {
          throw new MalformedDataException("the key envelope's roster stanza is invalid: " + e.getMessage());
        }
      }
    }
    return Optional.ofNullable(found);
  }

  /** The key id in the camera signature stanza, if there is one. */
  public Optional<byte[]> signerKeyId() {
    for (Stanza s : stanzas) {
      if (s.type() == Stanza.TYPE_CAMERA_SIGNATURE && s.bodyLength() == SIGNATURE_BODY_BYTES) {
        return Optional.of(Arrays.copyOf(s.body(), 16));
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that this envelope was signed by one of {@code cameras}: exactly one signature stanza,
   * the last one, whose key id names one of the keys and whose signature verifies over every
   * byte before it.
   *
   * @throws IntegrityException if the envelope is unsigned, signed by another key, or the
   *     signature does not verify (the envelope was changed after signing)
   */
  public void verifySignature(Collection<VerifyingKey> cameras) throws IntegrityException {
    Objects.requireNonNull(cameras, "cameras");
    int count = 0;
    for (Stanza s : stanzas) {
      if (s.type() == Stanza.TYPE_CAMERA_SIGNATURE) {
        count++;
      }
    }
    Stanza last = stanzas.get(stanzas.size() - 1);
    if (count == 0) {
      throw new IntegrityException("the key envelope of " + header.stream() + " " + header.epoch()
          + " is not signed by the camera");
    }
    if (count != 1 || last.type() != Stanza.TYPE_CAMERA_SIGNATURE
        || last.bodyLength() != SIGNATURE_BODY_BYTES) {
      throw new IntegrityException("the key envelope of " + header.stream() + " " + header.epoch()
          + " has a misplaced or malformed camera signature");
    }
    byte[] body = last.body();
    byte[] keyId = Arrays.copyOf(body, 16);
    VerifyingKey signer = null;
    for (VerifyingKey k : cameras) {
      if (MessageDigest.isEqual(k.keyId(), keyId)) {
        signer = k;
      }
    }
    if (signer == null) {
      throw new IntegrityException("the key envelope of " + header.stream() + " " + header.epoch()
          + " is signed by a key that is not the camera's (" + Hex.format(keyId) + ")");
    }
    byte[] encoded = encode(header, stanzas);
    int prefix = encoded.length - STANZA_HEADER_BYTES - SIGNATURE_BODY_BYTES;
    signer.verify(SignaturePurpose.ENVELOPE, Arrays.copyOf(encoded, prefix),
        Arrays.copyOfRange(body, 16, body.length));
  }

  /** Encodes an envelope from its parts. Package-private: tests build hostile envelopes with it. */
  static byte[] encode(EnvelopeHeader header, List<Stanza> stanzas) {
    if (stanzas.isEmpty() || stanzas.size() > MAX_STANZAS) {
      throw new IllegalArgumentException("an envelope holds 1 to " + MAX_STANZAS + " stanzas");
    }
    long size = header.length() + 2L;
    for (Stanza s : stanzas) {
      size += STANZA_HEADER_BYTES + s.bodyLength();
    }
    if (size > MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException("envelope would be " + size + " bytes, over 1 MiB");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    try {
      out.write(header.toBytes());
      out.write(stanzas.size() >>> 8);
      out.write(stanzas.size());
      for (Stanza s : stanzas) {
        out.write(s.type());
        out.write(s.bodyLength() >>> 8);
        out.write(s.bodyLength());
        out.write(s.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Parses an envelope without opening anything.
   *
   * @throws MalformedDataException if it is over 1 MiB, has a bad header, a stanza count
   *     outside 1..1024, a body over 4096 bytes, is cut short, or has bytes after the last stanza
   */
  public static KeyEnvelope parse(byte[] envelope) throws MalformedDataException {
    Objects.requireNonNull(envelope, "envelope");
    if (envelope.length > MAX_ENVELOPE_BYTES) {
      throw new MalformedDataException(
          "key envelope is " + envelope.length + " bytes, over the 1 MiB limit");
    }
    ByteArrayInputStream in = new ByteArrayInputStream(envelope);
    EnvelopeHeader header;
    try {
      header = EnvelopeHeader.read(in);
    } catch (IOException e) {
      throw new MalformedDataException("key envelope header does not parse");
    }
    int pos = header.length();
    if (!Bytes.regionEquals(header.toBytes(), 0, envelope, 0, pos)) {
      throw new MalformedDataException("key envelope header is not in canonical form");
    }
    if (envelope.length - pos < 2) {
      throw new MalformedDataException("key envelope cut short before the stanza count");
    }
    int count = u16(envelope, pos);
    pos += 2;
    if (count < 1 || count > MAX_STANZAS) {
      throw new MalformedDataException("key envelope has " + count + " stanzas, allowed 1.." + MAX_STANZAS);
    }
    // Each stanza takes at least 3 bytes: refuse a count the remaining bytes cannot hold.
    if ((long) count * STANZA_HEADER_BYTES > envelope.length - pos) {
      throw new MalformedDataException("key envelope cut short: " + count + " stanzas announced");
    }
    List<Stanza> stanzas = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (envelope.length - pos < STANZA_HEADER_BYTES) {
        throw new MalformedDataException("key envelope cut short in stanza " + i);
      }
      int type = envelope[pos] & 0xff;
      int length = u16(envelope, pos + 1);
      pos += STANZA_HEADER_BYTES;
      if (length > MAX_STANZA_BODY_BYTES) {
        throw new MalformedDataException(
            "stanza " + i + " body is " + length + " bytes, over " + MAX_STANZA_BODY_BYTES);
      }
      if (envelope.length - pos < length) {
        throw new MalformedDataException("key envelope cut short in stanza " + i);
      }
      stanzas.add(new Stanza(type, Arrays.copyOfRange(envelope, pos, pos + length)));
      pos += length;
    }
    if (pos != envelope.length) {
      throw new MalformedDataException(
          "key envelope has " + (envelope.length - pos) + " bytes after its last stanza");
    }
    return new KeyEnvelope(header, stanzas);
  }

  /**
   * Opens this envelope with {@code identity}.
   *
   * @throws KeyUnavailableException if no stanza is addressed to the identity
   * @throws IntegrityException if the identity's stanza does not decrypt under this header, or
   *     the identity returned a key of another stream or epoch
   * @throws MalformedDataException if a stanza the identity handles does not parse
   */
  public EpochKey open(Identity identity)
      throws KeyUnavailableException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(identity, "identity");
    Optional<EpochKey> key = identity.unwrap(stanzas, header);
    if (!key.isPresent()) {
      throw new KeyUnavailableException(
          "not a recipient of " + header.stream() + " " + header.epoch());
    }
    EpochKey k = key.get();
    if (!k.stream().equals(header.stream()) || !k.epoch().equals(header.epoch())) {
      k.destroy();
      throw new IntegrityException(
          "identity returned a key for another stream or epoch than the envelope of "
              + header.stream() + " " + header.epoch());
    }
    return k;
  }

  /**
   * Parses {@code envelope} and opens it with {@code identity}.
   *
   * @see #parse(byte[])
   * @see #open(Identity)
   */
  public static EpochKey open(byte[] envelope, Identity identity)
      throws KeyUnavailableException, IntegrityException, MalformedDataException {
    return parse(envelope).open(identity);
  }

  /**
   * Reads the envelope of {@code stream} and {@code epoch} from {@code store} (1 MiB bound),
   * checking that its authenticated header names them (a store cannot move an envelope). Checks
   * nothing else: verify it with {@code VerifiedStore.verifyEnvelope} before use.
   *
   * @throws KeyUnavailableException if the store holds none
   * @throws IntegrityException if it is another stream's or epoch's
   */
  public static KeyEnvelope read(dev.obscura.core.SegmentStore store, dev.obscura.core.StreamId stream,
      dev.obscura.core.EpochId epoch) throws java.io.IOException, KeyUnavailableException, IntegrityException,
      MalformedDataException {
    byte[] bytes;
    try {
      bytes = store.readAll(dev.obscura.core.ObjectNames.envelope(stream, epoch), MAX_ENVELOPE_BYTES);
    } catch (dev.obscura.core.NoSuchObjectException e) {
      throw new KeyUnavailableException("no key envelope for " + stream + " " + epoch);
    }
    KeyEnvelope envelope = parse(bytes);
    if (!envelope.header().stream().equals(stream) || !envelope.header().epoch().equals(epoch)) {
      throw new IntegrityException("the key envelope stored for " + stream + " " + epoch + " belongs to "
          + envelope.header().stream() + " " + envelope.header().epoch());
    }
    return envelope;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  @Override
  public String toString() {
    return "KeyEnvelope[" + header.stream() + ", " + header.epoch() + ", " + stanzas.size() + " stanzas]";
  }
}
