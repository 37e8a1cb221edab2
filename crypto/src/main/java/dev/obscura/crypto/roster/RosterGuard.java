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
import java.time.Duration;
import java.time.Instant;
import dev.obscura.crypto.keys.Recipient;
import dev.obscura.crypto.sign.VerifyingKey;
import dev.obscura.crypto.trust.NotPairedException;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.PairingRecord;
import dev.obscura.crypto.trust.TrustException;

/**
 * The camera's view of the roster: it trusts the roster it pinned last (in its own state, never
 * only in the store), and moves to a newer one only if that one is a valid successor. Anything
 * else the store offers (an unsigned roster, one signed by a non-member or a revoked device, an
 * older or conflicting version) is refused and reported once, and the pinned roster stays.
 *
 * <p><b>Pairing, not trust on first use:</b> with no pin (a new or reset camera), it accepts only
 * a roster that its own pairing secret authenticates ({@link PairingRecord}, made by the owner
 * who typed the camera's {@link PairingCode}), pins it, and forgets the secret; without a secret
 * it refuses to go on ({@link NotPairedException}), and a store that shows rosters none of which
 * the secret authenticates is refused as a ghost ({@link TrustException}, {@code NOT_PAIRED}).
 *
 * <p><b>Retirement:</b> a roster that pins another camera key than this camera's retires it:
 * {@link #refresh()} then throws {@link TrustException} ({@code CAMERA_KEY}) and the camera stops.
 *
 * <p><b>Bounded roster age</b> ({@code maxRosterAge}, off when zero): when the pinned roster was
 * signed longer ago than that, {@link #recipients(Instant)} wraps only to owners and the recovery
 * key, which bounds how long a store that withholds a revocation can keep a revoked viewer
 * reading. Owners keep it fresh by renewing the roster ({@code device renew}).
 *
 * <p><b>Restrictions:</b> not thread-safe beyond its own synchronization; one guard per camera.
 */
public final class RosterGuard {
  /** Where the camera keeps its pinned roster and its pairing secret. */
  public interface Pin {
    /** The encoding of the pinned roster, if any. */
    Optional<byte[]> load() throws IOException;

    /** Pins {@code roster} durably (before it is used), then forgets any pairing secret. */
    void save(Roster roster) throws IOException;

    /** The camera's pairing code (with its secret) while it waits to be paired. */
    Optional<PairingCode> pairing() throws IOException;
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

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RosterGuard.class);
  private final SegmentStore store;
  private final Pin pin;
  private final VerifyingKey self;
  private final Duration maxRosterAge;
  private final Set<String> reported = new HashSet<>();
  private Roster current;
  private boolean loaded;

  /**
   * @param self the camera's own key
   * @param maxRosterAge wrap only to owners when the roster is older than this; zero for no bound
   */
  public RosterGuard(SegmentStore store, Pin pin, VerifyingKey self, Duration maxRosterAge) {
    this.store = Objects.requireNonNull(store, "store");
    this.pin = Objects.requireNonNull(pin, "pin");
    this.self = Objects.requireNonNull(self, "self");
    this.maxRosterAge = Objects.requireNonNull(maxRosterAge, "maxRosterAge");
    if (maxRosterAge.isNegative()) {
      throw new IllegalArgumentException("maxRosterAge must be >= 0");
    }
  }

  /** Whether the pinned roster is older than {@code maxRosterAge} at {@code now}. */
  public synchronized boolean stale(Instant now) {
    return current != null && !maxRosterAge.isZero() && current.created().plus(maxRosterAge).isBefore(now);
  }

  /**
   * Who to wrap an epoch key for at {@code now}: the roster's members and recovery key, or only
   * its owners and recovery key when the roster is {@link #stale}.
   *
   * @throws IllegalStateException if there is no roster
   */
  public synchronized List<Recipient> recipients(Instant now) {
    if (current == null) {
      throw new IllegalStateException("no roster");
    }
    return stale(now) ? current.ownerRecipients() : current.recipients();
  }

  private String unreachable;

  /** Why the store's rosters could not be read at the last refresh, if they could not. */
  public synchronized Optional<String> storeUnreachable() {
    return Optional.ofNullable(unreachable);
  }

  /** The roster the camera wraps keys for, if it has one. */
  public synchronized Optional<Roster> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Looks at the store's rosters: accepts and pins a valid newer one, reports (once each) the
   * ones it refuses.
   *
   * @throws NotPairedException if the camera has no pinned roster and no pairing secret, or the
   *     store has no roster yet
   * @throws TrustException if no roster in the store is authenticated by the pairing secret (a
   *     ghost roster), or the roster in force pins another camera key (this camera was retired)
   * @throws IOException if the store or the pin cannot be read, or the pin cannot be written
   */
  public synchronized Update refresh() throws IOException, NotPairedException, TrustException {
    List<RosterRejectedException> refused = new ArrayList<>();
    boolean paired = false;
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
    if (current == null) {
      current = pairedRoster();
      paired = true;
    }
    RosterStore.Chain chain;
    try {
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
      chain = RosterStore.verifyFrom(store, current);
    } catch (IOException e) {
      if (before == null) {
        throw e; // pairing needs the store
      }
      // the store is away: the camera keeps its pinned roster and goes on recording
      if (reported.add("unreachable")) {
        log.warn("cannot read the store's rosters ({}): keeping roster version {}", e.getMessage(), current.version());
      }
      unreachable = e.getMessage();
      return new Update(Optional.empty(), List.of());
    }
    if (unreachable != null) {
      reported.remove("unreachable");
      unreachable = null;
    }
    refused.addAll(chain.refused());
    if (chain.latest().isPresent() || paired) {
      Roster next = chain.latest().orElse(current);
      pin.save(next);
      current = next;
    }
    if (!current.camera().map(self::equals).orElse(false)) {
      throw new TrustException(TrustException.Reason.CAMERA_KEY, "roster version " + current.version()
          + " pins another camera key than this camera's: this camera was replaced, and records nothing for"
          + " this household until it is paired again");
    }
    List<RosterRejectedException> fresh = new ArrayList<>();
    for (RosterRejectedException e : refused) {
      if (reported.add(e.getMessage())) {
        fresh.add(e);
      }
    }
    return new Update(current != before ? Optional.of(current) : Optional.empty(), fresh);
  }

  /**
   * The newest roster in the store that this camera's pairing secret authenticates, checked as
   * signed by one of its own owners.
   */
  private Roster pairedRoster() throws IOException, NotPairedException, TrustException {
    Optional<PairingCode> code = pin.pairing();
    if (!code.isPresent()) {
      throw new NotPairedException("the camera is not paired (no pinned roster and no pairing code):"
          + " run camera init and pair it with the code it prints");
    }
    List<Long> versions = RosterStore.versions(store);
    if (versions.isEmpty()) {
      throw new NotPairedException("the camera is not paired yet: the store has no roster"
          + " (an owner pairs it with device add --pair CODE)");
    }
    for (int i = versions.size() - 1; i >= 0; i--) {
      long v = versions.get(i);
      try {
        PairingRecord record = PairingRecord.parse(store.readAll(PairingRecord.objectName(v), PairingRecord.ENCODED_BYTES));
        Roster r = RosterStore.read(store, v);
        if (record.authenticates(r, self, code.get().secret())) {
          r.verifySelfSigned();
          return r;
        }
      } catch (NoSuchObjectException | MalformedDataException | RosterRejectedException e) {
        // not a pairing of this camera: keep looking
      }
    }
    throw new TrustException(TrustException.Reason.NOT_PAIRED, "no roster in the store is authenticated by this"
        + " camera's pairing code (" + versions.size() + " version(s) refused as ghosts): pair it with its code");
  }

  @Override
  public synchronized String toString() {
    return "RosterGuard[" + (current == null ? "no roster" : current) + "]";
  }
}
