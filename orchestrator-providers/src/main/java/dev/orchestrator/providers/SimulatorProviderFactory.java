package dev.orchestrator.providers;

import dev.orchestrator.providers.http.Settings;
import dev.orchestrator.providers.internal.simulator.SimulatorProvider;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;

/**
 * Creates {@code simulator} providers: offline and deterministic, for examples, tests and runs without keys. Every
 * reply says plainly that it is simulated; nothing is called.
 *
 * <p>Properties:
 * <ul>
 * <li>{@code model}: priced from the table ({@code sim-small}, {@code sim-standard} (default), {@code sim-large}, or
 *     any real model to simulate its cost)
 * <li>{@code seed} (default 42): the same seed, prompts and call order give the same replies, latencies and failures
 * <li>{@code latency}: time to the first token, in the engine's scheduler's time (default 1s), plus the output at
 *     {@code tokensPerSecond} (default 60), with +/-20% jitter
 * <li>{@code failureRate} (0..1, default 0), {@code failureKind} (an {@link dev.orchestrator.ErrorKind}, default
 *     {@code SERVER}), {@code failureBurst} (a failure is followed by this many in all, default 1),
 *     {@code retryAfter} (for {@code RATE_LIMITED}, default 5s)
 * <li>{@code maxOutputTokens} (default 1024; when configured, it caps a task's larger value); {@code price.*},
 *     {@code pricingFile}, {@code maxCostPerCall} as for the HTTP providers
 * </ul>
 *
 * <p>Thread-safe; stateless.
 */
public final class SimulatorProviderFactory implements ProviderFactory {
  /** The type id, {@value}. */
  public static final String TYPE = "simulator";

  /** For {@link java.util.ServiceLoader}. */
  public SimulatorProviderFactory() {}

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException naming the property and the fix when the configuration is invalid
   */
  @Override
  public AiProvider create(PluginConfig config, PluginContext context) {
    return SimulatorProvider.create(new Settings(config, context));
  }
}
