package dev.obscura.crypto.segment;

import dev.obscura.core.EntropySource;
import dev.obscura.core.EpochId;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.MediaSegment;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.EpochKey;
import dev.obscura.crypto.keys.EpochKeyResolver;
import dev.obscura.crypto.keys.InsecureSecretAccess;
import dev.obscura.crypto.keys.SecretBytes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Keys, resolvers and segments for tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  private Fixtures() {}

  /** Holds epoch keys by (stream, epoch) and hands out copies, like an envelope opener. */
  static final class Keyring implements EpochKeyResolver {
    final Map<String, byte[]> keys = new HashMap<>();
    final List<EpochKey> handedOut = new ArrayList<>();
    int resolves;

    /** A fresh random epoch key; the ring keeps a copy, the caller gets one to seal with. */
    EpochKey create(StreamId stream, long epoch, long seed) {
      byte[] k = new byte[32];
      new SplittableRandom(seed).nextBytes(k);
      keys.put(stream + "/" + epoch, k);
      return new EpochKey(stream, EpochId.of(epoch), SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
    }

    @Override
    public EpochKey resolve(StreamId stream, EpochId epoch) throws KeyUnavailableException {
      resolves++;
      byte[] k = keys.get(stream + "/" + epoch.value());
      if (k == null) {
        throw new KeyUnavailableException("no key for " + stream + " " + epoch);
      }
      EpochKey key = new EpochKey(stream, epoch, SecretBytes.copyFrom(k, InsecureSecretAccess.get()));
      handedOut.add(key);
      return key;
    }
  }

  static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static MediaSegment segment(long index, long seed, int size) {
    return new MediaSegment(index, T0.plusSeconds(4 * index), index * 4_000_000L, 4_000_000L,
        120, bytes(seed, size));
  }

  static EntropySource entropy(long seed) {
    return EntropySource.insecureDeterministicForTests(seed);
  }
}
