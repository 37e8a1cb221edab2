package dev.obscura.crypto.padding;

/**
 * How a camera hides the sizes and timing of what it sends (docs/padding.md): the provider, which
 * sees only how many bytes pass and when, should not be able to tell motion from idle.
 *
 * <p>A policy is immutable; {@link #newShaper()} gives the stateful shaper of one stream. The
 * padding a shaper adds is inside the authenticated ciphertext: readers strip it, and a
 * provider cannot tell it from video.
 */
public interface PaddingPolicy {

  /** The policy's name on the command line and in results: none, buckets, cbr or interval. */
  String name();

  /** A short description with the parameters, for reports (for example {@code buckets(1.25)}). */
  String describe();

  /** A fresh shaper for one stream (live frames or stored segments). */
  Shaper newShaper();

  /**
   * The size one unit of {@code bytes} is padded to when it has to travel whole, alone and at
   * once (a live frame, a stored segment): the size half of the policy, which the camera applies
   * inside the authenticated ciphertext. The timing half is the {@link Shaper}'s, which a pacing
   * sender applies ({@link Pacer}, used by the live camera for {@code cbr} and {@code interval}).
   *
   * <p>{@code none} and {@code cbr} return {@code bytes} unchanged (cbr shapes the rate, not the
   * units); {@code buckets} returns the bucket; {@code interval} the next multiple of its upload
   * size. The default returns {@code bytes}.
   *
   * @param bytes the unit's size before padding, at least 0
   * @return the padded size, at least {@code bytes} (at most {@link Integer#MAX_VALUE})
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  default int paddedSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a unit has at least 0 bytes, not " + bytes);
    }
    return bytes;
  }

  /**
   * The policy that pads one stored segment of {@code durationMicros}: this policy itself, except
   * for a rate. A {@code cbr} segment must carry the bytes of its duration at the rate, so {@code
   * cbr(B)} gives {@code interval(d, ceil(B * d))}: the segment is padded to {@code ceil(B * d)}
   * bytes, or to a multiple of it if its video is larger (an overflow the store can see: choose
   * B above the busiest scene's rate). The default returns {@code this}.
   *
   * @param durationMicros the segment's media duration in microseconds
   * @return the policy to pad that segment with
   */
  default PaddingPolicy forSegment(long durationMicros) {
    return this;
  }

  /**
   * Turns the units a camera produces (sealed frames or segments, by size and the time they are
   * ready) into what goes on the wire or into the store: when, and how many bytes.
   */
  interface Shaper {
    /**
     * A unit of {@code bytes} is ready at {@code micros} (times never go backwards). Returns the
     * sends this causes now or earlier than any later call's; a policy that defers sends them from
     * a later {@link #offer} or {@link #advance} call.
     *
     * @param micros when the unit is ready, microseconds on any fixed clock
     * @param bytes its size before padding
     * @param keyframe whether it starts with a keyframe (a policy may size keyframes apart)
     * @return the sends, in time order (possibly empty)
     */
    java.util.List<Send> offer(long micros, int bytes, boolean keyframe);

    /**
     * Time has passed to {@code micros} with no new unit: returns the sends due by then (the
     * deferred parts of earlier units, and cover traffic for policies that send on a schedule).
     *
     * @param micros the time now
     * @return the sends, in time order (possibly empty)
     */
    java.util.List<Send> advance(long micros);
  }

  /**
   * One send as the provider sees it.
   *
   * @param micros when it is sent
   * @param bytes how many bytes it carries (video and padding)
   * @param paddingBytes how many of them are padding
   */
  record Send(long micros, int bytes, int paddingBytes) {}
}
