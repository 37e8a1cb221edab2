package dev.obscura.crypto.testing;

import dev.obscura.crypto.trust.StorePin;
import dev.obscura.crypto.trust.TrustStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One device's pins, in memory (what a device remembers of each store it read). */
public final class MemoryTrustStore implements TrustStore {
  public final Map<String, StorePin> pins = new HashMap<>();
  /** How many times a pin was saved. */
  public int saves;

  @Override
  public synchronized Optional<StorePin> load(String storeId) {
    return Optional.ofNullable(pins.get(storeId));
  }

  @Override
  public synchronized void save(String storeId, StorePin pin) {
    pins.put(storeId, pin);
    saves++;
  }
}
