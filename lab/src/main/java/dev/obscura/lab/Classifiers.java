package dev.obscura.lab;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The two classifiers of the leakage measurement, on Tribuo: a logistic regression (linear SGD
 * with log loss) and a small random forest of CART trees. Features are {@code log1p}-scaled and
 * standardised with the training set's mean and deviation (a constant feature becomes 0).
 */
final class Classifiers {
  static final Label MOTION = new Label("motion");
  static final Label IDLE = new Label("idle");
  private static final int LR_EPOCHS = 40;
  private static final int TREES = 25;
  private static final int TREE_DEPTH = 6;

  /** Accuracies on {@code test} of both classifiers, trained on {@code train}. */
  record Accuracies(double logistic, double forest) {}

  private Classifiers() {}

  static Accuracies trainAndTest(List<Leakage.Window> train, List<Leakage.Window> test, long seed) {
    int d = Leakage.FEATURES.length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (Leakage.Window w : train) {
      for (int i = 0; i < d; i++) {
        mean[i] += Math.log1p(w.features()[i]);
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= Math.max(1, train.size());
    }
    for (Leakage.Window w : train) {
      for (int i = 0; i < d; i++) {
        double v = Math.log1p(w.features()[i]) - mean[i];
        std[i] += v * v;
      }
    }
    for (int i = 0; i < d; i++) {
      std[i] = Math.sqrt(std[i] / Math.max(1, train.size()));
    }
    Dataset<Label> trainSet = dataset("train", train, mean, std);
    Dataset<Label> testSet = dataset("test", test, mean, std);

    // Tribuo logs every bagged tree and epoch at INFO: quiet while training, then as it was
    Logger tribuo = Logger.getLogger("org.tribuo");
    Level before = tribuo.getLevel();
    tribuo.setLevel(Level.WARNING);
    try {
      return train(trainSet, testSet, seed);
    } finally {
      tribuo.setLevel(before);
    }
  }

  private static Accuracies train(Dataset<Label> trainSet, Dataset<Label> testSet, long seed) {
    Trainer<Label> lr = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), LR_EPOCHS,
        Integer.MAX_VALUE, 1, seed);
    Trainer<Label> rf = new RandomForestTrainer<>(
        new CARTClassificationTrainer(TREE_DEPTH, 0.5f, seed), new VotingCombiner(), TREES, seed);
    return new Accuracies(accuracy(lr, trainSet, testSet), accuracy(rf, trainSet, testSet));
  }

  private static double accuracy(Trainer<Label> trainer, Dataset<Label> train, Dataset<Label> test) {
    Model<Label> model = trainer.train(train);
    return new LabelEvaluator().evaluate(model, test).accuracy();
  }

  private static Dataset<Label> dataset(String name, List<Leakage.Window> windows, double[] mean, double[] std) {
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> set = new MutableDataset<>(
        new SimpleDataSourceProvenance("obscura-lab-" + name, OffsetDateTime.now(), factory), factory);
    for (Leakage.Window w : windows) {
      double[] x = new double[mean.length];
      for (int i = 0; i < x.length; i++) {
        x[i] = std[i] > 1e-12 ? (Math.log1p(w.features()[i]) - mean[i]) / std[i] : 0;
      }
      set.add(new ArrayExample<>(w.motion() ? MOTION : IDLE, Leakage.FEATURES, x));
    }
    return set;
  }
}
