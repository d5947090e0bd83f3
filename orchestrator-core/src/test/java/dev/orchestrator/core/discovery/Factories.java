package dev.orchestrator.core.discovery;

import dev.orchestrator.TokenUsage;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderFactory;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.concurrent.CompletableFuture;

/** Factories that the discovery test finds through META-INF/services files in test resources. */
public final class Factories {
  private Factories() {}

  /** Answers with the configured greeting. */
  public static final class Hello implements ProviderFactory {
    @Override
    public String type() {
      return "hello";
    }

    @Override
    public AiProvider create(PluginConfig config, PluginContext context) {
      String greeting = config.get("greeting", "hello");
      return new AiProvider() {
        @Override
        public String name() {
          return config.name();
        }

        @Override
        public String type() {
          return "hello";
        }

        @Override
        public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext ctx) {
          return CompletableFuture.completedFuture(ProviderResponse.of(greeting, TokenUsage.of(1, 1)));
        }

        @Override
        public CostEstimate estimate(ProviderRequest request) {
          return CostEstimate.free();
        }
      };
    }
  }

  /** Claims the same type as {@link Hello}. */
  public static final class OtherHello implements ProviderFactory {
    @Override
    public String type() {
      return "hello";
    }

    @Override
    public AiProvider create(PluginConfig config, PluginContext context) {
      throw new AssertionError("never created");
    }
  }

  /** Cannot even be instantiated. */
  public static final class Broken implements ProviderFactory {
    public Broken() {
      throw new IllegalStateException("missing native library");
    }

    @Override
    public String type() {
      return "broken";
    }

    @Override
    public AiProvider create(PluginConfig config, PluginContext context) {
      throw new AssertionError();
    }
  }
}
