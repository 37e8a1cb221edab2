package dev.obscura.examples;

import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.trust.FileTrustStore;
import dev.obscura.crypto.trust.PairingCode;
import dev.obscura.crypto.trust.VerifiedStore;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Path;

/**
 * A household as the roster commands leave it: a camera folder paired with a store (roster
 * version 1 made by the owner's phone with the camera's pairing code, the camera's key pinned),
 * a tablet enrolled as a viewer in version 2, and the two devices' key files. Public for the
 * tests of other packages (hardening); the camera folder may be a mount point made beforehand.
 */
public final class Household {
  public final Path storeDir;
  public final Path cameraDir;
  public final SegmentStore store;
  public final CameraState camera;
  public final ViewerIdentity phone;
  public final ViewerIdentity tablet;
  public final Path phoneKey;
  public final Path tabletKey;
  public final Roster roster;

  public Household(Path dir) throws Exception {
    this(dir, EntropySource.system());
  }

  /** The household with every key of its devices (and the pairing code) drawn from {@code entropy}. */
  public Household(Path dir, EntropySource entropy) throws Exception {
    storeDir = dir.resolve("store");
    cameraDir = dir.resolve("camera");
    store = new FileSystemSegmentStore(storeDir);
    camera = CameraState.open(cameraDir, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))), entropy);
    PairingCode code = camera.newPairingCode(entropy);
    phone = ViewerIdentity.generate(entropy);
    tablet = ViewerIdentity.generate(entropy);
    phoneKey = dir.resolve("phone.key");
    tabletKey = dir.resolve("tablet.key");
    phone.writeTo(phoneKey, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))));
    tablet.writeTo(tabletKey, KeyProtection.platformKey(Path.of(System.getenv("OBSCURA_PLATFORM_KEY"))));
    dev.obscura.crypto.trust.Household home = dev.obscura.crypto.trust.Household.of(store,
        FileTrustStore.besideKeyFile(phoneKey), storeDir.toAbsolutePath().normalize().toString());
    home.create(phone, "phone", PairingCode.parse(code.toCodeString()), camera.identity().publicKey());
    roster = home.enrol(phone, tablet.publicKey(), Roster.Role.VIEWER, "tablet").roster();
  }

  /** The store as a device without pins verifies it (the one verification path). */
  public VerifiedStore view() throws Exception {
    return VerifiedStore.builder().store(store).open();
  }
}
