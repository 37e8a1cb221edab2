package dev.obscura.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One plaintext media segment, ready to be sealed: a self-contained fragmented MP4 (an init
 * segment, {@code ftyp}+{@code moov}, followed by one or more {@code moof}+{@code mdat}
 * fragments) whose first frame is a keyframe. Each segment decodes on its own, so a share or an
 * export can start at any segment.
 *
 * <p><b>Ownership:</b> the segment owns {@code data}; nobody may modify the array after the
 * segment is made. It is not copied.
 *
 * @param index position of the segment in the output of the source that made it, from 0
 * @param startTime wall-clock time of the first frame
 * @param mediaStartMicros presentation time of the first frame, from the start of the recording
 * @param durationMicros media duration of the segment
 * @param frameCount number of video frames in the segment
 * @param data the fMP4 bytes
 */
public record MediaSegment(
    long index,
    Instant startTime,
    long mediaStartMicros,
    long durationMicros,
    int frameCount,
    byte[] data) {

  public MediaSegment {
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(data, "data");
    if (index < 0 || durationMicros < 0 || frameCount < 0) {
      throw new IllegalArgumentException("index, duration and frame count must be >= 0");
    }
  }

  public int sizeBytes() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaSegment s
        && s.index == index
        && s.startTime.equals(startTime)
        && s.mediaStartMicros == mediaStartMicros
        && s.durationMicros == durationMicros
        && s.frameCount == frameCount
        && java.util.Arrays.equals(s.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "MediaSegment[#" + index + ", start=" + startTime + ", " + frameCount + " frames, "
        + durationMicros + "us, " + data.length + " bytes]";
  }
}
