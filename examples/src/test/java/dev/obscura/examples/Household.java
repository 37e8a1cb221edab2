package dev.obscura.examples;

import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.crypto.camera.CameraState;
import dev.obscura.crypto.keys.KeyProtection;
import dev.obscura.crypto.keys.ViewerIdentity;
import dev.obscura.crypto.roster.Roster;
import dev.obscura.crypto.roster.RosterStore;
import dev.obscura.transport.FileSystemSegmentStore;
import java.nio.file.Path;

/**
 * A household as the roster commands leave it: a camera folder, a store with a genesis roster
 * (an owner's phone and a tablet, the camera's key pinned, signed by the phone), and the two
 * devices' key files.
 */
final class Household {
  final Path storeDir;
  final Path cameraDir;
  final SegmentStore store;
  final CameraState camera;
  final ViewerIdentity phone;
  final ViewerIdentity tablet;
  final Path phoneKey;
  final Path tabletKey;
  final Roster roster;

  Household(Path dir) throws Exception {
    storeDir = dir.resolve("store");
    cameraDir = dir.resolve("camera");
    store = new FileSystemSegmentStore(storeDir);
    camera = CameraState.open(cameraDir, KeyProtection.defaults(), EntropySource.system());
    phone = ViewerIdentity.generate();
    tablet = ViewerIdentity.generate();
    phoneKey = dir.resolve("phone.key");
    tabletKey = dir.resolve("tablet.key");
    phone.writeTo(phoneKey);
    tablet.writeTo(tabletKey);
    roster = Roster.genesis()
        .add(phone.publicKey(), Roster.Role.OWNER, "phone")
        .add(tablet.publicKey(), Roster.Role.VIEWER, "tablet")
        .camera(camera.identity().publicKey())
        .sign(phone.signingKey().orElseThrow());
    RosterStore.publish(store, roster);
  }
}
