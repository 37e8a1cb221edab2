package dev.obscura.crypto;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.envelope.EnvelopeKeyResolver;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterRejectedException;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamReader;
import dev.obscura.crypto.sign.SigningKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A camera, a store and an owner's devices, for scenario tests. */
final class Household {
  static final StreamId STREAM = StreamId.of("porch");
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  final TestStore store = new TestStore();
  final Path cameraDir;
  final KeyProtection platform;
  final ViewerIdentity owner;
  final List<RosterRejectedException> refused = new ArrayList<>();
  final List<Roster> accepted = new ArrayList<>();
  CameraState camera;
  Roster roster;
  long nextIndex;

  Household(Path tmp, long seed) throws Exception {
    this.cameraDir = tmp.resolve("camera");
    this.platform = KeyProtection.platformKey(tmp.resolve("platform.key"))
        .withEntropy(EntropySource.insecureDeterministicForTests(seed + 100));
    this.owner = ViewerIdentity.generate(EntropySource.insecureDeterministicForTests(seed));
    this.camera = CameraState.open(cameraDir, platform, EntropySource.insecureDeterministicForTests(seed + 200));
    this.roster = Roster.genesis().created(T0).add(owner.publicKey(), Roster.Role.OWNER, "owner")
        .camera(camera.identity().publicKey()).sign(sk(owner));
    RosterStore.publish(store, roster);
  }

  static SigningKey sk(ViewerIdentity id) {
    return id.signingKey().orElseThrow();
  }

  /** Publishes the next roster version, built by {@code change} and signed by {@code signer}. */
  Roster publish(java.util.function.UnaryOperator<Roster.Builder> change, ViewerIdentity signer) throws IOException {
    roster = change.apply(roster.next()).sign(sk(signer));
    RosterStore.publish(store, roster);
    return roster;
  }

  Recorder recorder(int segmentsPerEpoch) throws Exception {
    return Recorder.builder().store(store).stream(STREAM).camera(camera)
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

  /** Opens segments {@code from..to} of the stream as {@code who}, checking camera signatures. */
  List<byte[]> read(Identity who, long from, long to) throws IOException, ObscuraException {
    List<byte[]> out = new ArrayList<>();
    try (StreamReader r = StreamReader.builder().store(store).stream(STREAM)
        .resolver(new EnvelopeKeyResolver(store, who, List.of(camera.identity().publicKey())))
        .sequenceRange(from, to).build()) {
      for (OpenedSegment s = r.next(); s != null; s = r.next()) {
        out.add(s.plaintext());
      }
    }
    return out;
  }
}
