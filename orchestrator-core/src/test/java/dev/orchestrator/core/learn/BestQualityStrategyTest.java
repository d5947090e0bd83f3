package dev.orchestrator.core.learn;

import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.testkit.LearningStrategyContract;

class BestQualityStrategyTest extends LearningStrategyContract {
  @Override
  protected LearningStrategy createStrategy(long seed) {
    return Strategies.bestQuality(3);
  }

  @Override
  protected String factoryName() {
    return "best-quality";
  }
}
