package dev.obscura.crypto.live;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.EntropySource;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.testing.MemStore;
import dev.obscura.crypto.testing.MemoryTrustStore;
import dev.obscura.crypto.testing.MutableClock;
import dev.obscura.crypto.trust.Household;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.VerifiedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A household for live tests, made with the public SDK only: a camera paired with an in-memory
 * store (roster version 1 signed by the owner's phone with the camera's pairing code), a tablet
 * enrolled as a viewer in version 2, one clock for everyone, and a pin set per device.
 */
final class LiveHome {
  static final StreamId PORCH = StreamId.of("porch");
  static final StreamId GARAGE = StreamId.of("garage");
  static final Instant T0 = Instant.parse("2030-01-02T03:04:05Z");
  static final String STORE_ID = "mem://live";

  final MemStore store = new MemStore();
  final MutableClock clock = new MutableClock(T0);
  final Path cameraDir;
  final KeyProtection platform;
  final ViewerIdentity phone = ViewerIdentity.generate();
  final ViewerIdentity tablet = ViewerIdentity.generate();
  final Household sdk;
  final Map<String, MemoryTrustStore> pins = new HashMap<>();
  CameraState camera;
  Roster roster;

  LiveHome(Path tmp) throws Exception {
    cameraDir = tmp.resolve("camera");
    platform = KeyProtection.platformKey(tmp.resolve("platform.key"));
    camera = CameraState.open(cameraDir, platform, EntropySource.system());
    PairingCode printed = camera.newPairingCode(EntropySource.system());
    sdk = Household.of(store, pins(phone), STORE_ID).withClock(clock);
    sdk.create(phone, "phone", PairingCode.parse(printed.toCodeString()), camera.identity().publicKey());
    roster = sdk.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet").roster();
  }

  MemoryTrustStore pins(ViewerIdentity device) {
    return pins.computeIfAbsent(device.fingerprint(), k -> new MemoryTrustStore());
  }

  /** The store as {@code device} verifies it, with its own pins. */
  VerifiedStore view(ViewerIdentity device) throws Exception {
    return VerifiedStore.builder().store(store).trust(pins(device), STORE_ID).open();
  }

  /** A live camera of the porch over {@code fanOut}, on the household clock. */
  LiveCamera.Builder camera(MemoryFanOut fanOut, Duration epochs) {
    return LiveCamera.builder().store(store).stream(PORCH).camera(camera).publisher(fanOut.publisher())
        .epochDuration(epochs).clock(clock);
  }

  /** A viewer of the porch on the household clock. */
  LiveViewer viewer(ViewerIdentity device) throws Exception {
    return LiveViewer.builder(PORCH, device, view(device)).clock(clock).build();
  }

  /** Frame {@code i} of a synthetic H.264-like stream with a keyframe every {@code gop} frames. */
  static EncodedFrame frame(int i, int gop) {
    byte[] data = new byte[64 + i % 7];
    for (int j = 0; j < data.length; j++) {
      data[j] = (byte) (i * 31 + j);
    }
    data[0] = 0;
    data[1] = 0;
    data[2] = 0;
    data[3] = 1;
    data[4] = (byte) (i % gop == 0 ? 0x65 : 0x41);
    return new EncodedFrame(i * 66_667L, i % gop == 0, data);
  }
}
