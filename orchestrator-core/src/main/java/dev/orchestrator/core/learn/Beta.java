package dev.orchestrator.core.learn;

import java.util.Random;

/** Draws from Beta and Gamma distributions (Marsaglia and Tsang), for Thompson sampling. Not thread-safe. */
final class Beta {
  private Beta() {}

  /** A draw from {@code Beta(alpha, beta)}; both must be positive. */
  static double sample(Random random, double alpha, double beta) {
    double x = gamma(random, alpha);
    double y = gamma(random, beta);
    double sum = x + y;
    return sum <= 0 ? 0.5 : x / sum;
  }

  static double gamma(Random random, double shape) {
    if (shape < 1) {
      // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = random.nextGaussian();
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = random.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
