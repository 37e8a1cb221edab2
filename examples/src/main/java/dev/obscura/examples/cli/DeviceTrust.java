package dev.obscura.examples.cli;

import dev.obscura.core.Outcome;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.trust.EnrolmentCode;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --trust CODE}, and opening a store through the SDK's one verification path with the pins
 * kept beside the device's key file ({@code viewer.key} -> {@code viewer.trust}). Prints the
 * store's refused roster versions as warnings and says, in one line, when a first contact is
 * trusted on first use.
 */
final class DeviceTrust {
  @Option(names = "--trust", paramLabel = "CODE", description = {
      "The enrolment code device add printed, for this device's first contact with the store:"
          + " it authenticates the roster (without it, first contact is trust on first use)."})
  String trustCode;

  /**
   * Opens {@code store} for the device whose key file is {@code identity}: warnings go to {@code
   * err}, the note of a first contact trusted on first use to {@code out}.
   */
  VerifiedStore open(SegmentStore store, StoreOptions options, Path identity, PrintWriter out, PrintWriter err)
      throws Exception {
    VerifiedStore view = VerifiedStore.builder().store(store).trust(pins(identity), options.storeId())
        .enrolmentCode(code()).open();
    report(view, out, err);
    return view;
  }

  EnrolmentCode code() {
    if (trustCode == null) {
      return null;
    }
    try {
      return EnrolmentCode.parse(trustCode);
    } catch (IllegalArgumentException e) {
      throw new CliException(Outcome.USAGE, "invalid --trust: " + e.getMessage());
    }
  }

  static FileTrustStore pins(Path identity) {
    return FileTrustStore.besideKeyFile(identity);
  }

  static Household household(SegmentStore store, StoreOptions options, Path identity) {
    return Household.of(store, pins(identity), options.storeId());
  }

  static void report(VerifiedStore view, PrintWriter out, PrintWriter err) {
    for (String w : view.warnings()) {
      err.println("obscura: warning: " + w);
    }
    err.flush();
    if (view.firstContact() == VerifiedStore.FirstContact.TRUST_ON_FIRST_USE) {
      out.println("note: first contact with this store: trusting roster version "
          + view.roster().orElseThrow().version() + " (fingerprint " + view.roster().orElseThrow().fingerprint()
          + ") on first use; pass --trust CODE from device add to authenticate it");
      out.flush();
    } else if (view.firstContact() == VerifiedStore.FirstContact.NO_ROSTER) {
      out.println("note: the store has no roster: its key envelopes are not signed by a paired camera, so anyone who"
          + " knows this device's public key could have made them");
      out.flush();
    }
  }
}
