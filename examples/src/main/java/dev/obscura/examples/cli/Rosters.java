package dev.obscura.examples.cli;

import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The roster of a store, as a device sees it. */
final class Rosters {
  private Rosters() {}

  /** Verifies the store's chain, printing each refused version as a warning. */
  static RosterStore.Chain chain(SegmentStore store, PrintWriter err) throws IOException {
    RosterStore.Chain chain = RosterStore.verifiedChain(store);
    for (RosterRejectedException e : chain.refused()) {
      err.println("obscura: warning: " + e.getMessage());
    }
    err.flush();
    if (chain.verified().isEmpty() && !RosterStore.versions(store).isEmpty()) {
      throw new CliException(ObscuraCli.EXIT_INTEGRITY, "the store's roster does not verify from version 1");
    }
    return chain;
  }

  /** Every camera key pinned by a verified roster of the chain. */
  static List<VerifyingKey> cameraKeys(RosterStore.Chain chain) {
    List<VerifyingKey> out = new ArrayList<>();
    for (Roster r : chain.verified()) {
      r.camera().filter(k -> !out.contains(k)).ifPresent(out::add);
    }
    return out;
  }

  static SigningKey signingKey(ViewerIdentity id) {
    return id.signingKey().orElseThrow(() -> new CliException(ObscuraCli.EXIT_NO_KEY,
        "this identity has no signing key (a version-1 key file): make a new one with keygen"));
  }

  /** Checks that {@code signer} may sign the version after {@code latest}. */
  static void checkMaySign(Roster latest, ViewerIdentity signer) {
    VerifyingKey k = signingKey(signer).verifyingKey();
    Optional<Roster.Member> m = latest.members().stream().filter(x -> x.verifyingKey().equals(k)).findFirst();
    boolean recovery = latest.recovery().map(r -> r.verifyingKey().equals(k)).orElse(false);
    if (m.isEmpty() && !recovery) {
      throw new CliException(ObscuraCli.EXIT_NO_KEY,
          "this identity is not an owner of roster version " + latest.version());
    }
    if (m.isPresent() && m.get().role() != Roster.Role.OWNER) {
      throw new CliException(ObscuraCli.EXIT_NO_KEY,
          "this identity is a viewer of roster version " + latest.version() + ", not an owner");
    }
  }

  /** Publishes {@code next}; replaces an object at its version only if it was refused (invalid). */
  static void publish(SegmentStore store, Roster next, RosterStore.Chain chain) throws IOException {
    if (RosterStore.versions(store).contains(next.version())) {
      // the chain stopped before this version, so what is stored there did not verify
      store.put(RosterStore.objectName(next.version()), next.encoded());
    } else {
      RosterStore.publish(store, next);
    }
  }

  static String describe(Roster.Member m) {
    return m.role().name().toLowerCase(java.util.Locale.ROOT) + "  " + m.fingerprint()
        + (m.name().isEmpty() ? "" : "  " + m.name());
  }
}
