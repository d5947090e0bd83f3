package dev.orchestrator.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.TokenUsage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ForwardingAiProviderTest {
  /** A provider whose every answer differs from the interface's defaults. */
  static final class Distinct implements AiProvider {
    final List<String> calls = new ArrayList<>();

    @Override
    public String name() {
      return "distinct";
    }

    @Override
    public String type() {
      return "distinct-type";
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
      calls.add("complete " + request.prompt());
      return CompletableFuture.completedFuture(ProviderResponse.of("done", TokenUsage.of(1, 1)));
    }

    @Override
    public CostEstimate estimate(ProviderRequest request) {
      return CostEstimate.free();
    }

    @Override
    public CompletableFuture<Health> probe() {
      return CompletableFuture.completedFuture(Health.up(java.time.Duration.ofMillis(5), "probed"));
    }

    @Override
    public boolean supportsTools() {
      return true;
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  @Test
  void everyMethodOfTheInterfaceIsForwardedIncludingItsDefaults() {
    for (Method m : AiProvider.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      assertThat(declares(m)).as("ForwardingAiProvider forwards %s (add it when AiProvider gains a method)", m)
          .isTrue();
    }
  }

  @Test
  void aDecoratorKeepsItsDelegatesAnswersAndChangesOnlyWhatItOverrides() throws Exception {
    Distinct inner = new Distinct();
    AiProvider outer = new ForwardingAiProvider(inner) {
      @Override
      public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
        return super.complete(ProviderRequest.of(request.prompt() + "!"), context);
      }
    };

    assertThat(outer.name()).isEqualTo("distinct");
    assertThat(outer.type()).isEqualTo("distinct-type");
    assertThat(outer.supportsTools()).isTrue();
    assertThat(outer.probe().get().detail()).isEqualTo("probed");
    assertThat(outer.complete(ProviderRequest.of("hi"), CallContext.of("p", "r", "t", 1)).get().text())
        .isEqualTo("done");
    outer.close();
    assertThat(inner.calls).containsExactly("complete hi!", "close");
  }

  private static boolean declares(Method m) {
    try {
      ForwardingAiProvider.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
