package dev.obscura.benchmarks;

import dev.obscura.crypto.sframe.SFrameCipherSuite;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * A {@link FrameHarness} with the four SFrame benchmarks of one cipher suite, shared by {@link
 * FrameSealBenchmark} (the GCM suites) and {@link FrameSealCtrHmacBenchmark} (the CTR-HMAC
 * suites): {@code sframeSeal}/{@code sframeOpen} (the raw-buffer API) and {@code
 * sframeSealFrame}/{@code sframeOpenFrame} (the product path: the calls {@code LiveCamera.send}
 * and {@code LiveViewer.accept} make). {@link SFrameFixture} holds the sender, the receiver and
 * the pool the opens walk.
 */
public abstract class SFrameHarness extends FrameHarness {
  /** The SFrame sender, receiver and open pool. */
  SFrameFixture sframe;

  /**
   * Builds the SFrame fixture on {@link #key32} and {@link #plaintext} and, for an SFrame open
   * benchmark, its pool of sealed frames.
   *
   * @param suite the cipher suite
   * @param method the running JMH method
   * @throws IOException from the sender
   */
  final void prepareSFrame(SFrameCipherSuite suite, String method) throws IOException {
    sframe = new SFrameFixture(suite, key32, plaintext);
    switch (method) {
      case "sframeOpen" -> sframe.preparePool(false);
      case "sframeOpenFrame" -> sframe.preparePool(true);
      default -> { }
    }
  }

  @Override
  void release() throws Exception {
    sframe.close();
  }

  /** SFrame seal, raw-buffer API ({@code SFrameSender.seal(byte[], int, int, byte[], int)}). */
  @Benchmark
  public int sframeSeal() throws Exception {
    return sframe.sealRaw();
  }

  /** SFrame seal on the product path: the call {@code LiveCamera.send} makes. */
  @Benchmark
  public int sframeSealFrame() throws Exception {
    return sframe.sealProduct();
  }

  /** SFrame open, raw-buffer API ({@code SFrameReceiver.open(byte[], int, int, byte[], int)}). */
  @Benchmark
  public int sframeOpen() throws Exception {
    return sframe.openRaw();
  }

  /** SFrame open on the product path: the call {@code LiveViewer.accept} makes. */
  @Benchmark
  public int sframeOpenFrame() throws Exception {
    return sframe.openProduct();
  }
}
