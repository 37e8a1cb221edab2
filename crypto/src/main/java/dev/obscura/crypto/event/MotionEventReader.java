package dev.obscura.crypto.event;

import dev.obscura.core.EventId;
import dev.obscura.core.EventMessage;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.ObjectNames;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.envelope.KeyEnvelope;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.sign.SignaturePurpose;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens sealed motion events on a viewing device, through the SDK's one verification path: the
 * epoch's key envelope is read from the store and accepted by {@link VerifiedStore#verifyEnvelope}
 * (it names a roster of the verified chain and is signed by the camera in force for it); the
 * event's signature must verify under that camera key (on a store without a roster: only under
 * camera keys the caller pinned with {@link Builder#cameraKeys}; the keys such a store publishes
 * are never trusted for events, so without pins every event is refused as {@link
 * EventRefusedException.Reason#NO_CAMERA_KEY});
 * the envelope must open with the device's identity; the event key derived from the epoch key
 * must open the ciphertext; and the event must come after the last one this device accepted of
 * the stream ({@link EventReplayGuard}).
 *
 * <p><b>Security guarantees:</b> every enrolled device opens an event of an epoch it holds a
 * stanza for; a stranger, or a device revoked before the epoch began, gets {@link
 * KeyUnavailableException}; a forged, moved, replayed or reordered event gets {@link
 * EventRefusedException} (nothing of its plaintext is released); bytes that do not parse get
 * {@link MalformedDataException} before any allocation they would size.
 *
 * <p><b>Restrictions:</b> not thread-safe (nor is the {@link VerifiedStore}).
 *
 * <p><b>Sample:</b>
 *
 * <pre>{@code
 * MotionEventReader events = MotionEventReader.builder().view(view).identity(phone).build();
 * MotionEvent e = events.open(stream, EventId.parse(pushedId)); // the push carried only the id
 * }</pre>
 */
public final class MotionEventReader {
  private final VerifiedStore view;
  private final Identity identity;
  private final List<VerifyingKey> pins;
  private final EventReplayGuard guard;

  private MotionEventReader(Builder b) {
    this.view = b.view;
    this.identity = b.identity;
    this.pins = b.pins;
    this.guard = b.guard;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MotionEventReader}. */
  public static final class Builder {
    private VerifiedStore view;
    private Identity identity;
    private List<VerifyingKey> pins = Collections.emptyList();
    private EventReplayGuard guard = new EventReplayGuard();

    private Builder() {}

    /**
     * The store as this device verified it (required).
     *
     * @param view the verified store
     * @return this builder
     */
    public Builder view(VerifiedStore view) {
      this.view = Objects.requireNonNull(view, "view");
      return this;
    }

    /**
     * The device's identity, whose stanza in each epoch's envelope opens it (required).
     *
     * @param identity the identity
     * @return this builder
     */
    public Builder identity(Identity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /**
     * Camera keys this device pinned itself (out of band, never read from the store). On a store
     * with a roster: beyond the verification path, accept only events signed by one of these
     * (empty, the default: no extra check). On a store without a roster they are the only keys
     * events are verified with (empty: every event is refused).
     *
     * @param cameras pinned camera keys
     * @return this builder
     */
    public Builder cameraKeys(Collection<VerifyingKey> cameras) {
      this.pins = new ArrayList<>(cameras);
      return this;
    }

    /**
     * What this device remembers of accepted events (default: a fresh guard).
     *
     * @param guard the guard
     * @return this builder
     */
    public Builder guard(EventReplayGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Builds the reader.
     *
     * @return the reader
     * @throws IllegalStateException if view or identity is missing
     */
    public MotionEventReader build() {
      if (view == null || identity == null) {
        throw new IllegalStateException("view and identity are required");
      }
      return new MotionEventReader(this);
    }
  }

  /**
   * The guard this reader records accepted events in.
   *
   * @return the guard
   */
  public EventReplayGuard guard() {
    return guard;
  }

  /**
   * Fetches an event from the store by its id (what a push carries) and opens it.
   *
   * @param stream the camera's stream
   * @param id the event id
   * @return the opened event
   * @throws NoSuchObjectException if the store has no such event
   * @throws KeyUnavailableException if this device holds no key for the event's epoch
   * @throws EventRefusedException if it is forged, moved, replayed or reordered
   * @throws IntegrityException if its epoch's envelope is not acceptable
   * @throws MalformedDataException if it does not parse
   * @throws IOException if the store fails
   */
  public MotionEvent open(StreamId stream, EventId id)
      throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException {
    byte[] sealed = view.store().readAll(ObjectNames.event(stream, id), MotionEventFormat.MAX_SEALED_BYTES);
    return open(new EventMessage(stream, id, sealed));
  }

  /**
   * Opens an event delivered by a bus (or read from the store).
   *
   * @param message the stream and id it was delivered under, and the sealed record
   * @return the opened event
   * @throws KeyUnavailableException if this device holds no key for the event's epoch
   * @throws EventRefusedException if it is forged, moved, replayed or reordered
   * @throws IntegrityException if its epoch's envelope is not acceptable
   * @throws MalformedDataException if it does not parse
   * @throws IOException if the store fails
   */
  public MotionEvent open(EventMessage message)
      throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException {
    Objects.requireNonNull(message, "message");
    byte[] sealed = message.sealed();
    MotionEventFormat.Header h = MotionEventFormat.parseHeader(sealed);
    String what = "event " + h.id() + " of " + h.stream() + " " + h.epoch();
    if (!h.stream().equals(message.stream()) || !h.id().equals(message.id())) {
      throw new EventRefusedException(EventRefusedException.Reason.MOVED, what + " was delivered as event "
          + message.id() + " of " + message.stream() + " (moved or planted)");
    }
    KeyEnvelope envelope = KeyEnvelope.read(view.store(), h.stream(), h.epoch());
    Optional<Roster> roster = view.verifyEnvelope(envelope);
    List<VerifyingKey> cameras = new ArrayList<>();
    if (roster.isPresent()) {
      roster.get().camera().ifPresent(cameras::add);
      if (!pins.isEmpty()) {
        cameras.retainAll(pins);
      }
    } else if (pins.isEmpty()) {
      // the store's published keys are the store's word: never trusted for events
      throw new EventRefusedException(EventRefusedException.Reason.NO_CAMERA_KEY, what
          + ": the store has no roster and no camera key was pinned; events need a roster (obscura camera"
          + " pair, obscura device add) or the camera's key given to the reader");
    } else {
      cameras.addAll(pins);
    }
    if (cameras.isEmpty()) {
      throw new EventRefusedException(EventRefusedException.Reason.NO_CAMERA_KEY, what
          + ": no pinned camera key to verify its signature against");
    }
    byte[] signed = MotionEventFormat.signedPart(sealed);
    byte[] signature = MotionEventFormat.signature(sealed);
    VerifyingKey signer = null;
    for (VerifyingKey k : cameras) {
      try {
        k.verify(SignaturePurpose.MOTION_EVENT, signed, signature);
        signer = k;
        break;
      } catch (IntegrityException e) {
        // try the next pinned key
      }
    }
    if (signer == null) {
      throw new EventRefusedException(EventRefusedException.Reason.SIGNATURE, what
          + " is not signed by the camera in force for its epoch (forged)");
    }
    EventReplayGuard.Position at = new EventReplayGuard.Position(h.epoch(), h.sequence());
    guard.check(h.stream(), h.id(), at);
    long gap = guard.gapBefore(h.stream(), at);
    EpochKey epochKey = envelope.open(identity);
    byte[] key = null;
    MotionEventFormat.Content c;
    try {
      key = MotionEventFormat.deriveKey(epochKey);
      c = MotionEventFormat.open(key, sealed, h);
    } finally {
      epochKey.destroy();
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
    guard.accept(h.stream(), h.id(), at);
    return new MotionEvent(h.id(), h.stream(), h.epoch(), h.sequence(), c.start(), c.end(), c.peak(),
        c.firstSegment(), c.lastSegment(), c.thumbnail(), sealed.length, signer, gap);
  }

  /**
   * What {@link #list} found.
   *
   * @param events the events opened, in the camera's order
   * @param refused one line per stored object that was refused (forged, planted, no key...)
   */
  public record Listing(List<MotionEvent> events, List<String> refused) {
    public Listing {
      events = Collections.unmodifiableList(new ArrayList<>(events));
      refused = Collections.unmodifiableList(new ArrayList<>(refused));
    }
  }

  /**
   * Opens every event the store holds for {@code stream}, in the camera's order (by the public
   * header's epoch and sequence; each is then checked as by {@link #open(EventMessage)}, so two
   * objects at one position are refused as replayed). One refused object does not stop the
   * listing: it is named in {@link Listing#refused()}.
   *
   * @param stream the stream
   * @return the events and the refusals
   * @throws IOException if the store fails
   */
  public Listing list(StreamId stream) throws IOException {
    List<String> refused = new ArrayList<>();
    List<EventMessage> found = new ArrayList<>();
    for (StoredObject o : view.store().list(ObjectNames.eventPrefix(stream))) {
      Optional<ObjectNames.EventName> n = ObjectNames.parseEvent(o.name());
      if (!n.isPresent() || !n.get().stream().equals(stream)) {
        continue;
      }
      try {
        found.add(new EventMessage(stream, n.get().id(),
            view.store().readAll(o.name(), MotionEventFormat.MAX_SEALED_BYTES)));
      } catch (MalformedDataException | NoSuchObjectException e) {
        refused.add(o.name() + ": " + e.getMessage());
      }
    }
    List<MotionEvent> events = new ArrayList<>();
    for (EventMessage m : MotionEventFormat.inCameraOrder(found)) {
      try {
        events.add(open(m));
      } catch (ObscuraException e) {
        refused.add(ObjectNames.event(stream, m.id()) + ": " + e.getMessage());
      }
    }
    return new Listing(events, refused);
  }

  /**
   * The time range that selects exactly the event's segments ({@code firstSegment ..
   * lastSegment}) under the one selection rule ({@link dev.obscura.crypto.segment.StreamReader#overlaps}):
   * from the first one's start to just after the last one's start. For export and share.
   *
   * @param event an opened event
   * @return the range
   * @throws dev.obscura.core.NoFootageException if the store no longer holds the event's first
   *     or last segment (pruned)
   * @throws IntegrityException as {@link VerifiedStore#reader}
   * @throws MalformedDataException as {@link VerifiedStore#reader}
   * @throws IOException if the store fails
   */
  public dev.obscura.crypto.segment.StreamRange rangeOf(MotionEvent event)
      throws IOException, IntegrityException, MalformedDataException, dev.obscura.core.NoFootageException {
    java.time.Instant from = null;
    java.time.Instant lastStart = null;
    try (dev.obscura.crypto.segment.StreamReader listing = view.reader(event.stream(), identity).build()) {
      for (dev.obscura.core.SegmentHeader h : listing.headers()) {
        if (h.sequence() == event.firstSegment()) {
          from = h.startTime();
        }
        if (h.sequence() == event.lastSegment()) {
          lastStart = h.startTime();
        }
      }
    }
    if (from == null || lastStart == null) {
      throw new dev.obscura.core.NoFootageException(dev.obscura.core.NoFootageException.Reason.NOT_IN_RANGE,
          "the store no longer holds segments " + event.firstSegment() + ".." + event.lastSegment() + " of "
              + event.stream() + " (event " + event.id() + ")");
    }
    return dev.obscura.crypto.segment.StreamRange.between(from, lastStart.plusNanos(1000));
  }

  @Override
  public String toString() {
    return "MotionEventReader[" + view + ", " + identity + "]";
  }
}
