package dev.orchestrator.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {
  private static ClassLoader loader(String folder) {
    URL root = ProviderDiscoveryTest.class.getResource("/discovery/" + folder + "/");
    return new URLClassLoader(new URL[] {root}, ProviderDiscoveryTest.class.getClassLoader());
  }

  private static final Workflow ONE = Workflow.builder("w").task("a", t -> t.instructions("x")).build();

  @Test
  void createsConfiguredInstancesAndReportsBrokenPluginsByClassName() {
    try (Orchestrator o = Orchestrator.builder().classLoader(loader("broken")).executor(Runnable::run)
        .provider(new PluginConfig("Greeter", "hello", Map.of("greeting", "bonjour")))
        .build()) {
      assertThat(o.providers()).containsExactly("greeter");
      assertThat(o.pluginProblems()).anySatisfy(p -> assertThat(p).contains(Factories.Broken.class.getName()));
      assertThat(o.pluginProblems()).anySatisfy(p -> assertThat(p).contains("dev.orchestrator.NoSuchFactory"));
      RunSnapshot done = o.submit("p", ONE).completion().join();
      assertThat(done.task("a").output()).isEqualTo("bonjour");
    }
  }

  @Test
  void decoratorsWrapConfiguredAndGivenInstancesInTheOrderGiven() {
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.function.Function<String, java.util.function.UnaryOperator<dev.orchestrator.spi.provider.AiProvider>>
        tagging = tag -> p -> new Tagged(p, tag, seen);
    try (Orchestrator o = Orchestrator.builder().classLoader(loader("broken")).executor(Runnable::run)
        .provider(new PluginConfig("Greeter", "hello", Map.of("greeting", "bonjour")))
        .provider(FakeProvider.echo("other"))
        .defaultProvider("greeter")
        .decorateProviders(tagging.apply("inner")).decorateProviders(tagging.apply("outer"))
        .build()) {
      assertThat(o.submit("p", ONE).completion().join().task("a").output()).isEqualTo("bonjour");
      assertThat(seen).containsExactly("outer greeter", "inner greeter");
    }
    assertThatThrownBy(() -> Orchestrator.builder().provider(FakeProvider.echo("claude"))
        .decorateProviders(p -> FakeProvider.echo("renamed")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("an instance named 'renamed' for provider 'claude'")
        .hasMessageContaining("keeps the instance's name");
  }

  /** Records each call it passes on, then calls the provider it wraps. */
  private record Tagged(dev.orchestrator.spi.provider.AiProvider inner, String tag, java.util.List<String> seen)
      implements dev.orchestrator.spi.provider.AiProvider {
    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public String type() {
      return inner.type();
    }

    @Override
    public java.util.concurrent.CompletableFuture<dev.orchestrator.spi.provider.ProviderResponse> complete(
        dev.orchestrator.spi.provider.ProviderRequest request, dev.orchestrator.spi.provider.CallContext context) {
      seen.add(tag + " " + name());
      return inner.complete(request, context);
    }

    @Override
    public dev.orchestrator.spi.provider.CostEstimate estimate(dev.orchestrator.spi.provider.ProviderRequest r) {
      return inner.estimate(r);
    }
  }

  @Test
  void twoFactoriesWithOneIdAreAnErrorNamingBoth() {
    assertThatThrownBy(() -> Orchestrator.builder().classLoader(loader("duplicate"))
        .provider(PluginConfig.of("greeter", "hello")).build())
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining(Factories.Hello.class.getName())
        .hasMessageContaining(Factories.OtherHello.class.getName());
  }

  @Test
  void explicitRegistrationsWinOverDiscovery() {
    try (Orchestrator o = Orchestrator.builder().classLoader(loader("duplicate")).executor(Runnable::run)
        .providerFactory(new Factories.Hello())
        .provider(PluginConfig.of("greeter", "hello"))
        .provider(FakeProvider.echo("other"))
        .defaultProvider("greeter")
        .build()) {
      assertThat(o.providers()).containsExactly("greeter", "other");
      assertThat(o.submit("p", ONE).completion().join().task("a").output()).isEqualTo("hello");
    }
    FakeProvider explicit = FakeProvider.echo("greeter");
    try (Orchestrator o = Orchestrator.builder().classLoader(loader("broken")).executor(Runnable::run)
        .provider(PluginConfig.of("greeter", "hello")).provider(explicit).build()) {
      assertThat(o.submit("p", ONE).completion().join().task("a").output()).isEqualTo("greeter: x");
    }
  }

  @Test
  void anUnknownTypeOrNoProviderIsAClearError() {
    assertThatThrownBy(() -> Orchestrator.builder().classLoader(loader("broken"))
        .provider(PluginConfig.of("claude", "anthropic")).build())
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("provider 'claude' has type 'anthropic', but no factory of that type");
    assertThatThrownBy(() -> Orchestrator.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no provider is registered");
  }

  @Test
  void aConfigurationNeverShowsItsSecrets() {
    PluginConfig c = new PluginConfig("claude", "anthropic", Map.of("api_key", "sk-ant-canary", "model", "m"));
    assertThat(c.toString()).doesNotContain("sk-ant-canary").contains("model=m");
  }
}
