package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.testkit.GuardContract;

class SecretGuardTest extends GuardContract {
  private static final String KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";

  @Override
  protected Guard createGuard() {
    return SecretGuard.blocking();
  }

  @Override
  protected String bad() {
    return "Call the API with " + KEY;
  }

  @Override
  protected String secret() {
    return KEY;
  }

  @Override
  protected String factoryType() {
    return "secrets";
  }
}
