package dev.orchestrator.opentelemetry.internal;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attributes. The {@code gen_ai.*} and {@code error.type} keys are those of the OpenTelemetry semantic
 * conventions (GenAI client spans), spelled out here so that the module depends on the stable API only, not on the
 * incubating conventions artifact; {@code orchestrator.*} are this library's own.
 */
public final class Keys {
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  /** The current name of the vendor attribute. */
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  /** Its earlier name, which many back ends still read: written with the same value. */
  public static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<Long> GEN_AI_USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> GEN_AI_USAGE_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<String> GEN_AI_INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> GEN_AI_OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  public static final AttributeKey<String> PROJECT = AttributeKey.stringKey("orchestrator.project");
  public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("orchestrator.run.id");
  public static final AttributeKey<String> WORKFLOW = AttributeKey.stringKey("orchestrator.workflow");
  public static final AttributeKey<String> RUN_STATUS = AttributeKey.stringKey("orchestrator.run.status");
  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("orchestrator.task.id");
  public static final AttributeKey<String> TASK_STATE = AttributeKey.stringKey("orchestrator.task.state");
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("orchestrator.provider");
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("orchestrator.attempt");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("orchestrator.outcome");
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("orchestrator.cost.usd");
  public static final AttributeKey<String> COST_BASIS = AttributeKey.stringKey("orchestrator.cost.basis");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("orchestrator.reason");
  public static final AttributeKey<String> STRATEGY = AttributeKey.stringKey("orchestrator.strategy");
  public static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("orchestrator.retry.delay_ms");

  /** The GenAI operation of every attempt: a chat completion. */
  public static final String CHAT = "chat";

  private Keys() {}
}
