package dev.orchestrator.core.learn;

import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.testkit.LearningStrategyContract;

class AsAssignedStrategyTest extends LearningStrategyContract {
  @Override
  protected LearningStrategy createStrategy(long seed) {
    return Strategies.asAssigned();
  }

  @Override
  protected String factoryName() {
    return "as-assigned";
  }
}
