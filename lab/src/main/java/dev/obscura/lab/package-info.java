/**
 * The scheme lab: measures what a sealing scheme costs (throughput and overhead bytes, against
 * a raw JCA AES-256-GCM baseline measured in the same run) and what a padding policy hides (how
 * well a classifier tells motion from idle from the sizes and times a provider sees, and what
 * the padding costs in bandwidth and latency). Entry point: {@link dev.obscura.lab.Lab}.
 *
 * <p>The lab's throughput figures are simple timed rounds, not JMH: they compare schemes within
 * one run. The JMH suite in the {@code benchmarks} module guards the hot path.
 */
package dev.obscura.lab;
