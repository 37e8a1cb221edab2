package dev.obscura.lab;

/**
 * Throughput and overhead of one scheme at one mean frame size, from one lab run.
 *
 * <p>Throughput counts the plaintext (video) bytes sealed or opened per second, in MB/s
 * (10<sup>6</sup> bytes); median, minimum and maximum are over the timed rounds. Lab figures,
 * not JMH: compare them within one run.
 *
 * @param scheme the scheme's name ({@link Lab#BASELINE} for the raw JCA baseline)
 * @param protection what the scheme protects ({@code BASELINE} for the baseline)
 * @param frameBytes the mean frame size the segments were made with
 * @param sealMedianMBps median seal throughput
 * @param sealMinMBps slowest round's seal throughput
 * @param sealMaxMBps fastest round's seal throughput
 * @param openMedianMBps median open throughput
 * @param openMinMBps slowest round's open throughput
 * @param openMaxMBps fastest round's open throughput
 * @param recordsPerSegment records the scheme returns per segment
 * @param overheadBytesPerFrame sealed bytes minus video bytes, per frame
 * @param overheadBytesPerHour overhead bytes per hour of video at the lab's frame rate
 */
public record ThroughputResult(
    String scheme,
    String protection,
    int frameBytes,
    double sealMedianMBps,
    double sealMinMBps,
    double sealMaxMBps,
    double openMedianMBps,
    double openMinMBps,
    double openMaxMBps,
    int recordsPerSegment,
    double overheadBytesPerFrame,
    double overheadBytesPerHour) {}
