package dev.obscura.core;

import java.util.Objects;

/**
 * One compressed video frame (an H.264 access unit), as a camera produces it for live view.
 *
 * <p><b>Ownership:</b> the frame owns {@code data}; nobody may modify the array after the frame
 * is made. It is not copied, so that the per-frame path allocates nothing it does not need.
 *
 * @param presentationMicros presentation time in microseconds from the start of the stream
 * @param keyframe whether a decoder can start at this frame
 * @param data the encoded bytes
 */
public record EncodedFrame(long presentationMicros, boolean keyframe, byte[] data) {
  public EncodedFrame {
    Objects.requireNonNull(data, "data");
  }

  public int sizeBytes() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedFrame f
        && f.presentationMicros == presentationMicros
        && f.keyframe == keyframe
        && java.util.Arrays.equals(f.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(presentationMicros) * 31 + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "EncodedFrame[pts=" + presentationMicros + "us, key=" + keyframe + ", " + data.length + " bytes]";
  }
}
