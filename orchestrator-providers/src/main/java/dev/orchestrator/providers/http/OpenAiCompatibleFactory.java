package dev.orchestrator.providers.http;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import java.util.Objects;

/**
 * A {@link ProviderFactory} for one OpenAI-compatible vendor: a plugin subclasses it with a public no-argument
 * constructor and registers the subclass in {@code META-INF/services/dev.orchestrator.spi.provider.ProviderFactory}.
 *
 * <pre>{@code
 * public final class MistralProviderFactory extends OpenAiCompatibleFactory {
 *   public MistralProviderFactory() {
 *     super(MISTRAL); // an OpenAiVendor
 *   }
 * }
 * }</pre>
 *
 * Override {@link #create(Settings)} to return a subclass of {@link OpenAiCompatibleProvider} (extra headers, a
 * different usage object). Thread-safe; stateless.
 */
public abstract class OpenAiCompatibleFactory implements ProviderFactory {
  private final OpenAiVendor vendor;

  /** A factory of the vendor's providers. */
  protected OpenAiCompatibleFactory(OpenAiVendor vendor) {
    this.vendor = Objects.requireNonNull(vendor, "vendor");
  }

  @Override
  public final String type() {
    return vendor.type();
  }

  /** The vendor this factory creates providers of. */
  protected final OpenAiVendor vendor() {
    return vendor;
  }

  /**
   * @throws IllegalArgumentException naming the instance, the property and the fix when the configuration is invalid
   */
  @Override
  public final AiProvider create(PluginConfig config, PluginContext context) {
    return create(new Settings(config, context));
  }

  /**
   * Creates one instance; the default is a plain {@link OpenAiCompatibleProvider} of the vendor.
   *
   * @throws IllegalArgumentException naming the instance, the property and the fix when the configuration is invalid
   */
  protected AiProvider create(Settings settings) {
    return new OpenAiCompatibleProvider(settings, vendor);
  }
}
