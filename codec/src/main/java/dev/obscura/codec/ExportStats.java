package dev.obscura.codec;

import java.time.Duration;

/**
 * What {@link Mp4Export} wrote.
 *
 * @param segments segments read
 * @param frames video frames written
 * @param bytes size of the MP4 file
 * @param duration media duration of the written video
 * @param reencoded whether the video had to be re-encoded because the segments' codec
 *     configuration changed (otherwise packets were copied bit-exact)
 */
public record ExportStats(int segments, int frames, long bytes, Duration duration, boolean reencoded) {}
