package dev.orchestrator.core.learn;

import dev.orchestrator.learn.LearningStrategy;
import dev.orchestrator.testkit.LearningStrategyContract;

class CheapestAcceptableStrategyTest extends LearningStrategyContract {
  @Override
  protected LearningStrategy createStrategy(long seed) {
    return Strategies.cheapestAcceptable(3, 0.05);
  }

  @Override
  protected String factoryName() {
    return "cheapest-acceptable";
  }
}
