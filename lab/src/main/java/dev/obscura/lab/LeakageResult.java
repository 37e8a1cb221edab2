package dev.obscura.lab;

/**
 * What one padding policy leaks and costs, from one lab run: how well two classifiers trained on
 * held-out recordings tell motion from idle from the sizes and times of the sends alone.
 *
 * @param policy the policy's name
 * @param describe the policy with its parameters
 * @param logisticAccuracy test accuracy of the logistic regression
 * @param forestAccuracy test accuracy of the random forest
 * @param chance the accuracy of always guessing the test set's larger class
 * @param bandwidthCost bytes sent during the recordings divided by the video bytes ({@code none}
 *     sends exactly the video, so its cost is 1.0)
 * @param meanLatencyMillis mean time from a frame being ready to its last byte being sent
 * @param maxLatencyMillis the largest such time
 * @param trainWindows windows the classifiers were trained on
 * @param testWindows windows they were tested on
 */
public record LeakageResult(
    String policy,
    String describe,
    double logisticAccuracy,
    double forestAccuracy,
    double chance,
    double bandwidthCost,
    double meanLatencyMillis,
    double maxLatencyMillis,
    int trainWindows,
    int testWindows) {

  /** The better of the two classifiers' accuracies. */
  public double bestAccuracy() {
    return Math.max(logisticAccuracy, forestAccuracy);
  }
}
