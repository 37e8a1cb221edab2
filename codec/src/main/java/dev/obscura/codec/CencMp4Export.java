package dev.obscura.codec;

import dev.obscura.core.CencSampleEncryptor;
import dev.obscura.core.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;

/**
 * Writes decrypted segments, in order, as one fragmented MP4 encrypted with ISO Common Encryption
 * (ISO/IEC 23001-7, scheme {@code cenc}: AES-128-CTR, subsample encryption that leaves NAL
 * length prefixes and headers clear), which standard players and FFmpeg decrypt given the key.
 *
 * <p>How: the packets are remuxed bit-exact exactly as {@link Mp4Export} does (same timestamps,
 * same codec-change fallback), but into a fragmented MP4 (one fragment per keyframe), whose init
 * and fragments are then rewritten box by box: the {@code avc1} sample entry becomes {@code encv}
 * with {@code sinf}/{@code frma}/{@code schm}/{@code schi}/{@code tenc} (the encryptor's default
 * KID, 8-byte IVs), each sample is encrypted by the {@link CencSampleEncryptor}, and each video
 * {@code traf} carries {@code senc}, {@code saiz} and {@code saio}.
 *
 * <p><b>CENC has no integrity.</b> Anyone holding the file can flip bits of the video undetected,
 * with or without the key; what proves where footage came from is the camera's signed chain (see
 * {@code docs/cenc.md}).
 *
 * <p>The file is written to a temporary sibling and moved into place at the end, so a failed
 * export leaves no partial file behind.
 */
public final class CencMp4Export {
  private CencMp4Export() {}

  /**
   * Writes {@code segments} (fMP4 plaintexts, in order) to {@code out}, replacing it; if the
   * codec configuration changes, the segments are iterated a second time and re-encoded.
   *
   * @param segments the decrypted segments
   * @param out the file to write
   * @param encryptor encrypts each sample and names the KID
   * @return what was written
   * @throws MalformedDataException if a segment is not a self-contained fMP4 segment
   * @throws IOException if FFmpeg fails, a sample cannot be protected, or the file cannot be
   *     written
   */
  public static ExportStats write(Iterable<byte[]> segments, Path out, CencSampleEncryptor encryptor)
      throws IOException, MalformedDataException {
    Objects.requireNonNull(segments, "segments");
    return Mp4Export.export(segments.iterator(), segments, out, Objects.requireNonNull(encryptor, "encryptor"));
  }

  /**
   * Writes the segments of a single-pass iterator (fMP4 plaintexts, in order) to {@code out},
   * replacing it; holds one segment at a time.
   *
   * @param segments the decrypted segments
   * @param out the file to write
   * @param encryptor encrypts each sample and names the KID
   * @return what was written
   * @throws CodecChangedException if the codec configuration changes between segments
   * @throws MalformedDataException if a segment is not a self-contained fMP4 segment
   * @throws IOException if FFmpeg fails, a sample cannot be protected, or the file cannot be
   *     written
   */
  public static ExportStats write(Iterator<byte[]> segments, Path out, CencSampleEncryptor encryptor)
      throws IOException, MalformedDataException {
    Objects.requireNonNull(segments, "segments");
    return Mp4Export.export(segments, null, out, Objects.requireNonNull(encryptor, "encryptor"));
  }
}
