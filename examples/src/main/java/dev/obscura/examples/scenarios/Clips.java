package dev.obscura.examples.scenarios;

import dev.obscura.codec.ExportStats;
import dev.obscura.codec.Mp4Export;
import dev.obscura.core.ObscuraException;
import dev.obscura.core.StreamId;
import dev.obscura.crypto.keys.Identity;
import dev.obscura.crypto.segment.OpenedSegment;
import dev.obscura.crypto.segment.StreamRange;
import dev.obscura.crypto.trust.VerifiedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The verified export every scenario's viewer makes, in one SDK call ({@link VerifiedStore#read}):
 * the stream checked complete against the camera's signed manifests, read from where an owner's
 * signed prune kept it, through the one verification path
 * (epoch keys only from envelopes {@link VerifiedStore} accepts; every segment authenticated
 * whole and chained to the one before), then written as one MP4. Nothing is written unless every
 * segment of the range verified.
 */
public final class Clips {
  private Clips() {}

  /**
   * Exports {@code range} of {@code stream} as {@code viewer} sees it.
   *
   * @param view the store, opened through this device's pins
   * @param viewer this device's identity
   * @param stream the stream
   * @param range the time range ({@link StreamRange#all()} for everything)
   * @param out the MP4 file to write
   * @return what was written
   * @throws dev.obscura.core.IntegrityException if a segment is missing, altered, reordered or
   *     from a forged envelope
   * @throws dev.obscura.core.KeyUnavailableException if {@code viewer} holds no key for a segment
   *     of the range (not a recipient, or revoked before it was sealed)
   * @throws dev.obscura.core.NoFootageException if the range selects nothing
   * @throws ObscuraException for any other refusal
   * @throws IOException if the store or the file fails
   */
  public static ExportStats export(VerifiedStore view, Identity viewer, StreamId stream, StreamRange range, Path out)
      throws IOException, ObscuraException {
    List<byte[]> plaintexts = new ArrayList<>();
    try (VerifiedStore.Reading reading = view.read(stream, viewer, range, Instant.now())) {
      for (OpenedSegment s; (s = reading.reader().next()) != null; ) {
        plaintexts.add(s.plaintext());
      }
    }
    return Mp4Export.write(plaintexts, out);
  }
}
