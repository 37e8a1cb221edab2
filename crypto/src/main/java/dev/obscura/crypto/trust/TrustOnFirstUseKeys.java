package dev.obscura.crypto.trust;

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

/**
 * Keys published <b>in the store</b>, for stores that have <b>no roster</b> (recorded with fixed
 * recipients and no paired camera): the recorder signs its chain with a fresh key per recording and
 * publishes its verifying key; a sharing owner publishes its key for the audit log. Whoever
 * trusts these trusts the store, so they are used only where nothing better exists, and the
 * name says so: as soon as a store has a roster, {@link VerifiedStore} and {@link Household}
 * trust only the keys its verified roster chain pins, and none of these.
 */
public final class TrustOnFirstUseKeys {
  static final String KEYS_PREFIX = "keys/";

  private TrustOnFirstUseKeys() {}

  /** A fresh chain-signing key for one recording; its verifying key is published in the store. */
  public static SigningKey newCameraKey(SegmentStore store, StreamId stream, EntropySource entropy) throws IOException {
    SigningKey k = SigningKey.generate(entropy);
    store.put(stream + "/cameras/" + k.verifyingKey().keyIdHex() + ".pub", k.verifyingKey().rawBytes());
    return k;
  }

  /** The camera keys published for {@code stream}. */
  public static List<VerifyingKey> cameraKeys(SegmentStore store, StreamId stream)
      throws IOException, MalformedDataException {
    return readKeys(store, stream + "/cameras/");
  }

  /** Publishes an owner's key (trusted by the audit of a store without a roster). */
  public static void publishKey(SegmentStore store, VerifyingKey key) throws IOException {
    store.put(KEYS_PREFIX + "ed25519-" + key.keyIdHex() + ".pub", key.rawBytes());
  }

  /** Every key published in the store: owners' keys and all streams' camera keys. */
  public static List<VerifyingKey> allKeys(SegmentStore store) throws IOException, MalformedDataException {
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

  private static VerifyingKey readKey(SegmentStore store, String name) throws IOException, MalformedDataException {
    byte[] raw = store.readAll(name, VerifyingKey.LENGTH);
    if (raw.length != VerifyingKey.LENGTH) {
      throw new MalformedDataException("published key " + name + " is not 32 bytes");
    }
    return VerifyingKey.fromRawBytes(raw);
  }
}
