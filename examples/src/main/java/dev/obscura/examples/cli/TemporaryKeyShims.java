package dev.obscura.examples.cli;

import dev.obscura.core.EntropySource;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.trust.TrustOnFirstUseKeys;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * {@code record} without {@code --camera}: a per-recording chain key published in the store, as
 * {@link TrustOnFirstUseKeys} (the SDK) defines and limits it. Only the key-hygiene test's
 * observer lives here.
 */
final class TemporaryKeyShims {
  /** Test hook: sees each camera key made by {@link #newCameraKey} (the key-hygiene test). */
  static volatile Consumer<SigningKey> cameraKeyObserver;

  private TemporaryKeyShims() {}

  static SigningKey newCameraKey(SegmentStore store, StreamId stream) throws IOException {
    SigningKey k = TrustOnFirstUseKeys.newCameraKey(store, stream, EntropySource.system());
    Consumer<SigningKey> o = cameraKeyObserver;
    if (o != null) {
      o.accept(k);
    }
    return k;
  }
}
