package dev.obscura.crypto;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.keys.ViewerPublicKey;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.testing.MemoryTrustStore;
import dev.obscura.crypto.testing.MutableClock;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A camera, a store and an owner's devices, for scenario tests. The camera is paired as in the
 * field: it prints a pairing code ({@link CameraState#newPairingCode}) and publishes its key; the
 * owner types the code into {@link dev.obscura.crypto.trust.Household#create}, which signs
 * roster version 1 with a pairing record. Later legitimate changes go through the SDK ({@link
 * #enrol}, {@link #revoke}, {@link #sdk}); {@link #publish} signs raw rosters (tests of hostile
 * or unusual signers). Every device reads through {@link VerifiedStore} with its own pins.
 */
final class Household {
  static final StreamId STREAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final String STORE_ID = "mem://household";

  final MemStore store = new MemStore();
  final MutableClock clock = new MutableClock(T0);
  final Path cameraDir;
  final KeyProtection platform;
  final ViewerIdentity owner;
  final List<RosterRejectedException> refused = new ArrayList<>();
  final List<Roster> accepted = new ArrayList<>();
  /** Each device's pins, by device fingerprint. */
  final Map<String, MemoryTrustStore> pins = new HashMap<>();
  /** What the owner's device does to the roster (its pins are {@code trust(owner)}). */
  final dev.obscura.crypto.trust.Household sdk;
  CameraState camera;
  Roster roster;
  long nextIndex;

  Household(Path tmp, long seed) throws Exception {
    this.cameraDir = tmp.resolve("camera");
    this.platform = KeyProtection.platformKey(tmp.resolve("platform.key"))
        .withEntropy(EntropySource.insecureDeterministicForTests(seed + 100));
    this.owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(seed));
    this.camera = CameraState.open(cameraDir, platform, EntropySource.insecureDeterministicForTests(seed + 200));
    // camera init: a fresh pairing code, and the public key published for the owner to find
    PairingCode printed = camera.newPairingCode(EntropySource.insecureDeterministicForTests(seed + 300));
    dev.obscura.crypto.trust.Household.publishCameraKey(store, camera.identity().publicKey());
    this.sdk = dev.obscura.crypto.trust.Household.of(store, trust(owner), STORE_ID).withClock(clock);
    // the owner types the code it read off the camera
    this.roster = sdk.create(owner, "owner", PairingCode.parse(printed.toCodeString()), null).roster();
  }

  static SigningKey sk(ViewerIdentity id) {
    return id.signingKey().orElseThrow();
  }

  /** The pins of {@code device}. */
  MemoryTrustStore trust(ViewerIdentity device) {
    return pins.computeIfAbsent(device.fingerprint(), k -> new MemoryTrustStore());
  }

  /** Publishes the next roster version, built by {@code change} and signed by {@code signer} (no SDK rules). */
  Roster publish(java.util.function.UnaryOperator<Roster.Builder> change, ViewerIdentity signer) throws IOException {
    roster = change.apply(roster.next().created(clock.instant())).sign(sk(signer));
    RosterStore.publish(store, roster);
    return roster;
  }

  /** The owner enrols {@code device} through the SDK. */
  Roster enrol(ViewerIdentity device, Roster.Role role, String name) throws Exception {
    roster = sdk.enrol(owner, device.publicKey(), role, name).roster();
    return roster;
  }

  /** The owner revokes {@code device} through the SDK. */
  Roster revoke(ViewerPublicKey device) throws Exception {
    roster = sdk.revoke(owner, device).roster();
    return roster;
  }

  Recorder recorder(int segmentsPerEpoch) throws Exception {
    return Recorder.builder().store(store).stream(STREAM).camera(camera).clock(clock)
        .entropy(EntropySource.insecureDeterministicForTests(nextIndex + 7))
        .segmentsPerEpoch(segmentsPerEpoch)
        .listener(new Recorder.Listener() {
          @Override
          public void rosterRefused(RosterRejectedException refusal) {
            refused.add(refusal);
          }

          @Override
          public void rosterAccepted(Roster r) {
            accepted.add(r);
          }
        })
        .build();
  }

  MediaSegment segment() {
    long i = nextIndex++;
    byte[] b = new byte[3000 + (int) i];
    new SplittableRandom(i).nextBytes(b);
    return new MediaSegment(i, T0.plusSeconds(2 * i), i * 2_000_000L, 2_000_000L, 30, b);
  }

  /** Opens the store as {@code who} would: through {@link VerifiedStore}, with its own pins. */
  VerifiedStore open(ViewerIdentity who) throws IOException, ObscuraException {
    return VerifiedStore.builder().store(store).trust(trust(who), STORE_ID).open();
  }

  /** Opens segments {@code from..to} of the stream as {@code who}, through {@link VerifiedStore}. */
  List<byte[]> read(ViewerIdentity who, long from, long to) throws IOException, ObscuraException {
    return read(open(who), who, from, to);
  }

  static List<byte[]> read(VerifiedStore view, Identity who, long from, long to)
      throws IOException, ObscuraException {
    List<byte[]> out = new ArrayList<>();
    try (StreamReader r = StreamReader.builder().store(view.store()).stream(STREAM)
        .resolver(view.epochKeys(who)).sequenceRange(from, to).build()) {
      for (OpenedSegment s = r.next(); s != null; s = r.next()) {
        out.add(s.plaintext());
      }
    }
    return out;
  }
}
