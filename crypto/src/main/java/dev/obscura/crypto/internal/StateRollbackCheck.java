package dev.obscura.crypto.internal;

import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.chain.ChainManifest;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.TrustException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The camera's cross-check of its own state folder against what it signed into the store, run
 * at every start of a recorder or live camera: a state folder restored from an older copy (or
 * that lost its epoch record or chain head) would make the camera reuse an epoch number (and so
 * overwrite an envelope other segments need) or a sequence number (and overwrite a segment and
 * fork its signed chain). Only objects that verify under this camera's own key count: a store
 * that plants numbers cannot push the camera's counters, only make it refuse (which it can do
 * anyway by refusing writes).
 *
 * <p>Limits: it sees only what the store still holds; an attacker who rolls back the state folder
 * <em>and</em> deletes the newer signed objects from the store is not detected here (readers
 * still see the deletion as a chain gap, and an overwritten envelope or segment fails to open
 * under the old key rather than decrypting anything).
 */
public final class StateRollbackCheck {
  private StateRollbackCheck() {}

  /**
   * Refuses if the store holds an envelope of {@code stream}, signed by this camera, for an epoch
   * at or above {@code camera.nextEpoch(stream)}.
   *
   * @throws TrustException ({@link TrustException.Reason#CAMERA_STATE}) if it does
   * @throws IOException if the store cannot be listed or read
   */
  public static void checkEpochs(SegmentStore store, StreamId stream, CameraState camera)
      throws IOException, TrustException {
    long next = camera.nextEpoch(stream);
    VerifyingKey me = camera.identity().publicKey();
    for (StoredObject o : store.list(ObjectNames.envelopePrefix(stream))) {
      Optional<ObjectNames.EnvelopeName> name = ObjectNames.parseEnvelope(o.name());
      if (!name.isPresent() || !name.get().stream().equals(stream) || name.get().epoch().value() < next) {
        continue;
      }
      if (signedByMe(store, o.name(), stream, name.get().epoch(), me)) {
        throw new TrustException(TrustException.Reason.CAMERA_STATE, "the store holds a key envelope of "
            + stream + " " + name.get().epoch() + " signed by this camera, but its epoch record says the next"
            + " unused epoch is " + next + ": the camera folder was rolled back or its epoch record lost;"
            + " refusing to reuse the epoch number (record to another stream, or restore the newest state)");
      }
    }
  }

  /**
   * Refuses if the store holds a chain manifest of {@code stream}, signed by this camera, that
   * covers a sequence at or above {@code nextSequence} (the camera's chain head).
   *
   * @throws TrustException ({@link TrustException.Reason#CAMERA_STATE}) if it does
   * @throws IOException if the store cannot be listed or read
   */
  public static void checkChainHead(SegmentStore store, StreamId stream, CameraState camera, long nextSequence)
      throws IOException, TrustException {
    VerifyingKey me = camera.identity().publicKey();
    for (StoredObject o : store.list(ChainManifest.prefix(stream))) {
      Optional<Long> last = ChainManifest.parseObjectName(stream, o.name());
      if (!last.isPresent() || last.get() < nextSequence) {
        continue;
      }
      ChainManifest m;
      try {
        m = ChainManifest.parse(store.readAll(o.name(), ChainManifest.MAX_ENCODED_BYTES));
        m.verify(me);
      } catch (MalformedDataException | IntegrityException e) {
        continue; // not this camera's: a planted object does not move (or stop) the camera
      }
      if (m.stream().equals(stream) && m.lastSequence() >= nextSequence) {
        throw new TrustException(TrustException.Reason.CAMERA_STATE, "the store holds a chain manifest of "
            + stream + " up to segment " + m.lastSequence() + " signed by this camera, but its chain head says the"
            + " next sequence is " + nextSequence + ": the camera folder was rolled back; refusing to reuse"
            + " sequence numbers (record to another stream, or restore the newest state)");
      }
    }
  }

  /**
   * The digest of segment {@code seq} of {@code stream} in a chain manifest this camera signed,
   * if the store holds one that covers it.
   *
   * @throws IOException if the store cannot be listed or read
   */
  public static Optional<byte[]> signedDigest(SegmentStore store, StreamId stream, CameraState camera, long seq)
      throws IOException {
    VerifyingKey me = camera.identity().publicKey();
    for (StoredObject o : store.list(ChainManifest.prefix(stream))) {
      Optional<Long> last = ChainManifest.parseObjectName(stream, o.name());
      if (!last.isPresent() || last.get() < seq) {
        continue;
      }
      try {
        ChainManifest m = ChainManifest.parse(store.readAll(o.name(), ChainManifest.MAX_ENCODED_BYTES));
        m.verify(me);
        if (m.stream().equals(stream) && m.covers(seq)) {
          return Optional.of(m.digestOf(seq));
        }
      } catch (MalformedDataException | IntegrityException | dev.obscura.core.NoSuchObjectException e) {
        // not this camera's
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses if the store holds a segment of {@code stream} above the camera's (settled) chain
   * head, or at its next sequence and chained on its last digest, in an epoch whose envelope this
   * camera signed and its epoch record calls used (a segment at the next sequence that does not
   * chain is the one a crash cut off, sealed again as before). A segment is not signed on its own, so this one can also be a copy the
   * store planted: either way the camera refuses rather than overwrite it under its number (a
   * committed segment's number is always in the head first, as in flight). This catches a chain
   * head rolled back by fewer segments than the manifest cadence, which no manifest shows yet.
   *
   * @throws TrustException ({@link TrustException.Reason#CAMERA_STATE}) if it does
   * @throws IOException if the store cannot be listed or read
   */
  public static void checkSegmentsAboveHead(SegmentStore store, StreamId stream, CameraState camera,
      CameraState.ChainHead head) throws IOException, TrustException {
    long nextSequence = head.nextSequence();
    long usedBelow = camera.nextEpoch(stream);
    VerifyingKey me = camera.identity().publicKey();
    for (StoredObject o : store.list(ObjectNames.segmentPrefix(stream))) {
      Optional<dev.obscura.core.SegmentId> id = ObjectNames.parseSegment(o.name());
      if (!id.isPresent() || !id.get().stream().equals(stream) || id.get().sequence() < nextSequence) {
        continue;
      }
      dev.obscura.core.SegmentHeader h;
      try (java.io.InputStream in = store.open(o.name())) {
        h = dev.obscura.crypto.segment.SegmentFormat.readHeader(in);
      } catch (MalformedDataException | dev.obscura.core.NoSuchObjectException e) {
        continue;
      }
      boolean above = h.sequence() > nextSequence
          || java.security.MessageDigest.isEqual(h.previousDigest(), head.lastDigest());
      if (above && h.sequence() == id.get().sequence() && h.epoch().value() < usedBelow
          && signedByMe(store, ObjectNames.envelope(stream, h.epoch()), stream, h.epoch(), me)) {
        throw new TrustException(TrustException.Reason.CAMERA_STATE, "the store holds segment " + h.sequence()
            + " of " + stream + " in " + h.epoch() + " (an epoch this camera used), but its chain head says the"
            + " next sequence is " + nextSequence + ": the chain head was rolled back (or the store planted a copy);"
            + " refusing to seal over it (record to another stream, or restore the newest state)");
      }
    }
  }

  /** Whether the object {@code name} is an envelope of {@code stream} {@code epoch} this camera signed. */
  private static boolean signedByMe(SegmentStore store, String name, StreamId stream, dev.obscura.core.EpochId epoch,
      VerifyingKey me) throws IOException {
    try {
      KeyEnvelope e = KeyEnvelope.parse(store.readAll(name, KeyEnvelope.MAX_ENVELOPE_BYTES));
      e.verifySignature(List.of(me));
      // a real envelope copied under another epoch's name is not evidence of that epoch
      return e.header().stream().equals(stream) && e.header().epoch().equals(epoch);
    } catch (MalformedDataException | IntegrityException | dev.obscura.core.NoSuchObjectException e) {
      return false;
    }
  }
}
