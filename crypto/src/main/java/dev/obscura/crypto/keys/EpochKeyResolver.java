package dev.obscura.crypto.keys;

import dev.obscura.core.EpochId;
import dev.obscura.core.KeyUnavailableException;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import dev.obscura.core.StreamId;
import java.io.IOException;

/**
 * Finds the key of an epoch for a reader: typically by opening the epoch's envelope with the
 * reader's identity. The returned key belongs to the caller, who may destroy it after use.
 */
@FunctionalInterface
public interface EpochKeyResolver {
  /**
   * @throws KeyUnavailableException if there is no envelope for the epoch, or none of its
   *     stanzas can be opened by this reader
   * @throws IntegrityException if the envelope was tampered with
   * @throws MalformedDataException if the envelope does not parse
   */
  EpochKey resolve(StreamId stream, EpochId epoch)
      throws IOException, KeyUnavailableException, IntegrityException, MalformedDataException;
}
