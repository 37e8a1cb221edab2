package dev.obscura.crypto.scheme;

import dev.obscura.core.EncodedFrame;
import dev.obscura.core.IntegrityException;
import dev.obscura.core.MalformedDataException;
import java.io.IOException;
import java.util.List;

/**
 * A way of protecting a camera's encoded video, for the scheme lab: the service provider interface
 * a researcher implements to compare a scheme of their own with the built-in ones.
 *
 * <p>A scheme seals one <em>segment</em> at a time: the frames from one keyframe to the next, as
 * a camera cuts them. It returns the records a store or relay would carry (one per segment for
 * a segment scheme such as {@code chunked}, one per frame for a per-frame scheme such as
 * {@code sframe}), and its opener turns those records back into the frames. What the provider
 * sees of a scheme is the number, the sizes and the times of these records, and nothing else
 * unless {@link #protection()} says so.
 *
 * <p>Schemes are registered explicitly in a {@link SchemeSet} (no global registry, no service
 * loader, no reflection), so the set a run compares is exactly the set its code names:
 *
 * <pre>{@code
 * SchemeSet schemes = SchemeSet.builtIn().with(new MyScheme());
 * }</pre>
 *
 * <p>Implementations must be safe to call from one thread at a time per sealer or opener; a
 * scheme object itself is immutable and may be shared.
 */
public interface SealingScheme {

  /** What a scheme protects, as its tests show. */
  enum Protection {
    /** Confidentiality and integrity of every frame, order and completeness within a segment. */
    AUTHENTICATED,
    /**
     * Confidentiality only: a provider can flip bits of the video undetected (ISO Common
     * Encryption). Pair it with the camera's signed chain to prove what was recorded.
     */
    CONFIDENTIAL_ONLY,
    /**
     * A weak baseline: part of the video stays in the clear (for example selective encryption of
     * I-frames, whose P-frames still show motion). For measurement, never for footage.
     */
    WEAK
  }

  /** The name used on the command line and in results: lower case, {@code [a-z0-9-]+}. */
  String name();

  /** One line saying what the scheme does, for the lab's summary. */
  String description();

  /** What the scheme protects. */
  Protection protection();

  /**
   * The warning a tool prints whenever the scheme is used, or the empty string. A {@link
   * Protection#WEAK} scheme must return a non-empty warning.
   */
  default String warning() {
    return "";
  }

  /**
   * A sealer for one stream.
   *
   * @param context the stream, key and randomness to seal with
   * @throws IOException if the scheme cannot be set up (for example a missing JCA algorithm)
   */
  Sealer sealer(SchemeContext context) throws IOException;

  /**
   * An opener for what {@link #sealer} sealed under the same context's stream and key.
   *
   * @param context the stream and key to open with
   * @throws IOException if the scheme cannot be set up
   */
  Opener opener(SchemeContext context) throws IOException;

  /** Seals the segments of one stream, in order. */
  interface Sealer extends AutoCloseable {
    /**
     * Seals one segment (its first frame should be a keyframe) and returns the records to store
     * or send, in order. The frames are not modified.
     *
     * @throws IOException if sealing fails (no record of this segment may then be used)
     */
    List<byte[]> seal(List<EncodedFrame> segment) throws IOException;

    @Override
    default void close() {}
  }

  /** Opens the records of one stream, segment by segment, in order. */
  interface Opener extends AutoCloseable {
    /**
     * Opens the records {@link Sealer#seal} returned for one segment and returns its frames. A
     * scheme that claims integrity throws, and releases no frame, if any record was changed,
     * dropped, reordered, replayed from another segment or stream, or added.
     *
     * @throws IntegrityException if a record fails authentication
     * @throws MalformedDataException if a record cannot be parsed
     * @throws IOException if opening fails otherwise
     */
    List<EncodedFrame> open(List<byte[]> records)
        throws IOException, IntegrityException, MalformedDataException;

    @Override
    default void close() {}
  }
}
