package dev.obscura.crypto.roster;

import java.util.Locale;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.NoSuchObjectException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rosters in a {@link SegmentStore}: {@code roster/VERSION.roster}, the version zero-padded to 19
 * digits. The store is not trusted with them: it can only relay, drop or replay rosters, and
 * every reader verifies the chain from version 1 ({@link #verifiedChain}).
 */
public final class RosterStore {
  /** Prefix of roster object names. */
  public static final String PREFIX = "roster/";
  private static final Pattern NAME = Pattern.compile("roster/(\\d{19})\\.roster");

  private RosterStore() {}

  public static String objectName(long version) {
    return PREFIX + String.format(Locale.ROOT, "%019d", version) + ".roster";
  }

  /**
   * Publishes {@code roster} under its version.
   *
   * @throws FileAlreadyExistsException if that version exists: a version is never replaced
   */
  public static void publish(SegmentStore store, Roster roster) throws IOException {
    String name = objectName(roster.version());
    if (!store.list(name).isEmpty()) {
      throw new FileAlreadyExistsException(name);
    }
    store.put(name, roster.encoded());
  }

  /** The versions stored, ascending. */
  public static List<Long> versions(SegmentStore store) throws IOException {
    TreeSet<Long> out = new TreeSet<>();
    for (StoredObject o : store.list(PREFIX)) {
      Matcher m = NAME.matcher(o.name());
      if (m.matches()) {
        out.add(Long.parseLong(m.group(1)));
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Reads and parses the roster stored as {@code version}.
   *
   * @throws NoSuchObjectException if there is none
   * @throws MalformedDataException if it does not parse or claims another version than its name
   */
  public static Roster read(SegmentStore store, long version) throws IOException, MalformedDataException {
    byte[] bytes = store.readAll(objectName(version), Roster.MAX_ENCODED_BYTES);
    Roster r = Roster.parse(bytes);
    if (r.version() != version) {
      throw new MalformedDataException("the roster stored as version " + version + " is version " + r.version());
    }
    return r;
  }

  /** The result of verifying the rosters in a store. */
  public record Chain(List<Roster> verified, List<RosterRejectedException> refused) {
    public Chain {
      verified = List.copyOf(verified);
      refused = List.copyOf(refused);
    }

    /** The newest verified roster. */
    public Optional<Roster> latest() {
      return verified.isEmpty() ? Optional.empty() : Optional.of(verified.get(verified.size() - 1));
    }
  }

  /**
   * Verifies the store's rosters from version 1 (trusted on first use: compare its fingerprint)
   * up: each must be a valid successor of the one before; the walk stops at the first that is
   * not, which is reported in {@link Chain#refused()}.
   */
  public static Chain verifiedChain(SegmentStore store) throws IOException {
    return verifyFrom(store, null);
  }

  /**
   * Verifies the store's rosters after {@code trusted} (or from version 1 if null), as the
   * camera does from its pinned roster.
   */
  public static Chain verifyFrom(SegmentStore store, Roster trusted) throws IOException {
    List<Roster> ok = new ArrayList<>();
    List<RosterRejectedException> refused = new ArrayList<>();
    List<Long> versions = versions(store);
    long next = trusted == null ? 1 : trusted.version() + 1;
    Roster current = trusted;
    long max = versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
    for (long v = next; v <= max; v++) {
      Roster r;
      try {
        r = read(store, v);
      } catch (NoSuchObjectException e) {
        refused.add(new RosterRejectedException(RosterRejectedException.Reason.NOT_SUCCESSOR, max,
            "version " + v + " is missing from the store"));
        break;
      } catch (MalformedDataException e) {
        refused.add(new RosterRejectedException(RosterRejectedException.Reason.MALFORMED, v, e.getMessage()));
        break;
      }
      try {
        if (current == null) {
          r.verifyGenesis();
        } else {
          r.verifySuccessorOf(current);
        }
      } catch (RosterRejectedException e) {
        refused.add(e);
        break;
      }
      ok.add(r);
      current = r;
    }
    return new Chain(ok, refused);
  }
}
