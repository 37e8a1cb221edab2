/**
 * Video capture, H.264 encoding and keyframe-aligned fragmented MP4 (CMAF) segmenting over
 * JavaCV/FFmpeg, for sealing by {@code obscura-crypto}.
 *
 * <ul>
 *   <li>{@link dev.obscura.codec.Segmenters}: {@link dev.obscura.core.SegmentSource}s from the
 *       {@link dev.obscura.codec.SyntheticCamera}, files, RTSP and V4L2 (passthrough for H.264,
 *       re-encoding with libopenh264 otherwise).
 *   <li>{@link dev.obscura.codec.Mp4Export}: decrypted segments to one playable MP4.
 *   <li>{@link dev.obscura.codec.Mp4Probe}: frames, size and duration of an MP4.
 *   <li>{@link dev.obscura.codec.FrameStamp}: the burned-in frame counter, read back from decoded
 *       pictures.
 * </ul>
 *
 * <p>Native libraries: the FFmpeg natives of JavaCV for one platform, {@code javacpp.platform} (the
 * host's by default, as in JavaCPP; README, "Native libraries"), LGPL build, so H.264 is encoded
 * with libopenh264. On headless Debian they need
 * {@code libpulse0}.
 */
package dev.obscura.codec;
