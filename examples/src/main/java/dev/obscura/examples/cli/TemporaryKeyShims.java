package dev.obscura.examples.cli;

import dev.obscura.core.EntropySource;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.SegmentStore;
import dev.obscura.core.StoredObject;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.sign.SigningKey;
import dev.obscura.crypto.sign.VerifyingKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trust on first use for stores <b>without a roster</b>: {@code record} without {@code --camera}
 * has no camera identity, so it signs the chain with a fresh key per recording and publishes its
 * verifying key in the store; {@code share} publishes the owner's key there. On such a store
 * {@code share} and {@code audit} trust these published keys, and say so. <b>The store is not
 * trusted</b>, so this only shows the mechanism: as soon as the store has a roster, {@code share}
 * trusts only the camera keys the verified rosters pin and {@code audit} only their members',
 * cameras' and recovery keys, and none of these published keys.
 *
 * <p>(The owner's signing key no longer comes from here: device identities carry an Ed25519 key.)
 */
final class TemporaryKeyShims {
  static final String KEYS_PREFIX = "keys/";

  /** Test hook: sees each camera key made by {@link #newCameraKey} (the key-hygiene test). */
  static volatile Consumer<SigningKey> cameraKeyObserver;

  private TemporaryKeyShims() {}

  /** A fresh camera key for one recording; its verifying key is published in the store. */
  static SigningKey newCameraKey(SegmentStore store, StreamId stream) throws IOException {
    SigningKey k = SigningKey.generate(EntropySource.system());
    store.put(stream + "/cameras/" + k.verifyingKey().keyIdHex() + ".pub", k.verifyingKey().rawBytes());
    Consumer<SigningKey> o = cameraKeyObserver;
    if (o != null) {
      o.accept(k);
    }
    return k;
  }

  /** The camera keys published for {@code stream}. */
  static List<VerifyingKey> publishedCameraKeys(SegmentStore store, StreamId stream)
      throws IOException, MalformedDataException {
    return readKeys(store, stream + "/cameras/");
  }

  /** Publishes a key the audit command trusts (the owner's, when it shares). */
  static void publishKey(SegmentStore store, VerifyingKey key) throws IOException {
    store.put(KEYS_PREFIX + "ed25519-" + key.keyIdHex() + ".pub", key.rawBytes());
  }

  /** Every key published in the store: owners' keys and all streams' camera keys. */
  static List<VerifyingKey> publishedKeys(SegmentStore store) throws IOException, MalformedDataException {
    List<VerifyingKey> out = new ArrayList<>(readKeys(store, KEYS_PREFIX));
    for (StoredObject o : store.list("")) {
      if (o.name().matches("[^/]+/cameras/[0-9a-f]{32}\\.pub")) {
        out.add(readKey(store, o.name()));
      }
    }
    return out;
  }

  private static List<VerifyingKey> readKeys(SegmentStore store, String prefix)
      throws IOException, MalformedDataException {
    List<VerifyingKey> out = new ArrayList<>();
    for (StoredObject o : store.list(prefix)) {
      if (o.name().endsWith(".pub")) {
        out.add(readKey(store, o.name()));
      }
    }
    return out;
  }

  private static VerifyingKey readKey(SegmentStore store, String name)
      throws IOException, MalformedDataException {
    byte[] raw = store.readAll(name, VerifyingKey.LENGTH);
    if (raw.length != VerifyingKey.LENGTH) {
      throw new MalformedDataException("published key " + name + " is not 32 bytes");
    }
    return VerifyingKey.fromRawBytes(raw);
  }
}
