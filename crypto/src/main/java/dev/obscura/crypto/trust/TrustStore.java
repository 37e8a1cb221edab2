package dev.obscura.crypto.trust;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a device keeps what it has verified of each store ({@link StorePin}): the device's own
 * memory, never the store's. {@link FileTrustStore} keeps it in a file beside the device's key
 * file; an app may keep it in its own database.
 *
 * <p>A store is named by a string the caller chooses and keeps stable (the CLI uses the store's
 * location); implementations may hash it.
 */
public interface TrustStore {
  /** The pin for {@code storeId}, if this device has read that store before. */
  Optional<StorePin> load(String storeId) throws IOException;

  /** Replaces the pin for {@code storeId}, durably, before the caller acts on it. */
  void save(String storeId, StorePin pin) throws IOException;

  /**
   * A trust store that remembers nothing: every read is a first contact (an audit or listing by
   * no particular device).
   *
   * @return a store whose loads are empty and whose saves are dropped
   */
  static TrustStore none() {
    return new TrustStore() {
      @Override
      public Optional<StorePin> load(String storeId) {
        return Optional.empty();
      }

      @Override
      public void save(String storeId, StorePin pin) {}
    };
  }
}
