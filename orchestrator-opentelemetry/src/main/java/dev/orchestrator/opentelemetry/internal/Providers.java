package dev.orchestrator.opentelemetry.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the events do not say about a provider instance: the vendor ({@code gen_ai.provider.name}) and the model it is
 * configured with ({@code gen_ai.request.model}). Events name the instance only.
 */
public record Providers(Map<String, String> systems, Map<String, String> models) {
  public Providers {
    systems = Map.copyOf(systems);
    models = Map.copyOf(models);
  }

  /** The vendor given for {@code provider}, else the instance name itself. */
  public String system(String provider) {
    return systems.getOrDefault(provider, provider);
  }

  /** The model given for {@code provider}, or null. */
  public @Nullable String model(String provider) {
    return models.get(provider);
  }
}
