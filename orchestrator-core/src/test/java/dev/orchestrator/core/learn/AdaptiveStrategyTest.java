package dev.orchestrator.core.learn;

import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.testkit.LearningStrategyContract;

class AdaptiveStrategyTest extends LearningStrategyContract {
  @Override
  protected LearningStrategy createStrategy(long seed) {
    return Strategies.adaptive(seed);
  }

  @Override
  protected String factoryName() {
    return "adaptive";
  }
}
