package dev.orchestrator.core.guard;

import dev.orchestrator.spi.guard.Guard;
import dev.orchestrator.spi.guard.GuardInput;
import dev.orchestrator.testkit.GuardContract;
import dev.orchestrator.workflow.ExpectedOutput;

class JsonSchemaGuardTest extends GuardContract {
  private static final ExpectedOutput SCHEMA = ExpectedOutput.jsonSchema(
      "{\"type\":\"object\",\"required\":[\"title\"]}");

  @Override
  protected Guard createGuard() {
    return new JsonSchemaGuard();
  }

  @Override
  protected GuardInput input(String text) {
    return GuardInput.builder().project("contract").runId("run-1").taskId("task-1").taskType("general")
        .provider("provider").providerType("openai").text(text)
        .expected(text.startsWith("{") || text.startsWith("[") ? SCHEMA : null).build();
  }

  @Override
  protected String bad() {
    return "{\"name\": \"no title\"}";
  }

  @Override
  protected String factoryType() {
    return "json_schema";
  }
}
