package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.testkit.GuardContract;

class PiiGuardTest extends GuardContract {
  @Override
  protected Guard createGuard() {
    return PiiGuard.of(PiiGuard.Action.REDACT);
  }

  @Override
  protected String bad() {
    return "Call Ann on (555) 123-4567 tomorrow";
  }

  @Override
  protected String factoryType() {
    return "pii";
  }
}
