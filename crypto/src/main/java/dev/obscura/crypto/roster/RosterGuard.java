package dev.obscura.crypto.roster;

import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.SegmentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The camera's view of the roster: it trusts the roster it pinned last (in its own state, never
 * only in the store), and moves to a newer one only if that one is a valid successor. Anything
 * else the store offers (an unsigned roster, one signed by a non-member or a revoked device, an
 * older or conflicting version) is refused and reported once, and the pinned roster stays.
 *
 * <p>With no pin yet (camera setup), it trusts the store's chain from version 1 (trust on first
 * use; print {@link Roster#fingerprint()} so the owner can compare).
 *
 * <p><b>Restrictions:</b> not thread-safe beyond its own synchronization; one guard per camera.
 */
public final class RosterGuard {
  /** Where the camera keeps its pinned roster. */
  public interface Pin {
    /** The encoding of the pinned roster, if any. */
    Optional<byte[]> load() throws IOException;

    /** Pins {@code roster} durably (before it is used). */
    void save(Roster roster) throws IOException;
  }

  /** What a {@link #refresh()} found. */
  public record Update(Optional<Roster> accepted, List<RosterRejectedException> refused) {
    public Update {
      refused = List.copyOf(refused);
    }

    /** Whether a new roster was accepted. */
    public boolean changed() {
      return accepted.isPresent();
    }
  }

  private final SegmentStore store;
  private final Pin pin;
  private final Set<String> reported = new HashSet<>();
  private Roster current;
  private boolean loaded;

  public RosterGuard(SegmentStore store, Pin pin) {
    this.store = Objects.requireNonNull(store, "store");
    this.pin = Objects.requireNonNull(pin, "pin");
  }

  /** The roster the camera wraps keys for, if it has one. */
  public synchronized Optional<Roster> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Looks at the store's rosters: accepts and pins a valid newer one, reports (once each) the
   * ones it refuses.
   *
   * @throws IOException if the store or the pin cannot be read, or the pin cannot be written
   */
  public synchronized Update refresh() throws IOException {
    List<RosterRejectedException> refused = new ArrayList<>();
    if (!loaded) {
      Optional<byte[]> pinned = pin.load();
      if (pinned.isPresent()) {
        try {
          current = Roster.parse(pinned.get());
        } catch (MalformedDataException e) {
          throw new IOException("the camera's pinned roster is damaged: " + e.getMessage());
        }
      }
      loaded = true;
    }
    Roster before = current;
    if (current != null) {
      List<Long> versions = RosterStore.versions(store);
      long newest = versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
      if (newest < current.version()) {
        refused.add(new RosterRejectedException(RosterRejectedException.Reason.ROLLBACK, newest,
            "the store's newest roster is older than the camera's version " + current.version()));
      } else {
        try {
          // compared as bytes: the common case (unchanged) parses nothing
          byte[] same = store.readAll(RosterStore.objectName(current.version()), Roster.MAX_ENCODED_BYTES);
          if (!Arrays.equals(same, current.encoded())) {
            refused.add(new RosterRejectedException(RosterRejectedException.Reason.ROLLBACK, current.version(),
                "the store holds another roster at the camera's version " + current.version()));
          }
        } catch (NoSuchObjectException e) {
          refused.add(new RosterRejectedException(RosterRejectedException.Reason.ROLLBACK, current.version(),
              "the store no longer holds the camera's roster version " + current.version()));
        } catch (MalformedDataException e) {
          refused.add(new RosterRejectedException(RosterRejectedException.Reason.MALFORMED, current.version(),
              e.getMessage()));
        }
      }
    }
    RosterStore.Chain chain = RosterStore.verifyFrom(store, current);
    refused.addAll(chain.refused());
    if (chain.latest().isPresent()) {
      Roster next = chain.latest().get();
      pin.save(next);
      current = next;
    }
    List<RosterRejectedException> fresh = new ArrayList<>();
    for (RosterRejectedException e : refused) {
      if (reported.add(e.getMessage())) {
        fresh.add(e);
      }
    }
    return new Update(current != before ? Optional.of(current) : Optional.empty(), fresh);
  }

  @Override
  public synchronized String toString() {
    return "RosterGuard[" + (current == null ? "no roster" : current) + "]";
  }
}
