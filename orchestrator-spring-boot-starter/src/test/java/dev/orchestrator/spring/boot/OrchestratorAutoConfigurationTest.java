package dev.orchestrator.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.Money;
import dev.orchestrator.budget.Budget;
import dev.orchestrator.budget.BudgetScope;
import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.Event;
import dev.orchestrator.event.EventSubscriber;
import dev.orchestrator.event.RunFinishedEvent;
import dev.orchestrator.policy.CircuitState;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.store.Store;
import dev.orchestrator.store.jdbc.JdbcStore;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans the auto-configuration makes from which properties and beans, and which it leaves to the user. */
class OrchestratorAutoConfigurationTest {
  static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class,
          OrchestratorDashboardAutoConfiguration.class));

  /** Two offline instances that answer at once. */
  static final String[] SIMULATORS = {
      "orchestrator.providers.fast.type=simulator",
      "orchestrator.providers.fast.properties.latency=0ms",
      "orchestrator.providers.fast.properties.tokens-per-second=100000",
      "orchestrator.providers.cheap.type=simulator",
      "orchestrator.providers.cheap.model=sim-small",
      "orchestrator.providers.cheap.max-concurrent-calls=2",
      "orchestrator.default-provider=fast"};

  @Test
  void buildsTheOrchestratorFromProperties() {
    RUNNER.withPropertyValues(SIMULATORS)
        .withPropertyValues("orchestrator.engine-name=app-1",
            "orchestrator.budgets[0].project=blog", "orchestrator.budgets[0].limit=$12.50",
            "orchestrator.budgets[1].provider=cheap", "orchestrator.budgets[1].daily-limit=2",
            "orchestrator.budgets[2].global=true", "orchestrator.budgets[2].limit=100",
            "orchestrator.retry.max-attempts=3", "orchestrator.retry.delay=10s",
            "orchestrator.circuit-breaker.failures=5", "orchestrator.circuit-breaker.open-for=2m",
            "orchestrator.time-zone=Europe/Paris")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class);
          Orchestrator o = context.getBean(Orchestrator.class);
          assertThat(o.providers()).containsExactly("cheap", "fast");
          assertThat(o.engineName()).isEqualTo("app-1");
          assertThat(o.budgets()).extracting(Budget::scope, Budget::limit).containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(BudgetScope.project("blog"), Money.usd("12.50")),
              org.assertj.core.groups.Tuple.tuple(BudgetScope.providerDaily("cheap"), Money.usd("2")),
              org.assertj.core.groups.Tuple.tuple(BudgetScope.global(), Money.usd("100")));
          assertThat(o.circuit("fast").state()).isEqualTo(CircuitState.State.CLOSED);
          assertThat(context.getBean(Store.class)).isInstanceOf(InMemoryStore.class);
          assertThat(context).doesNotHaveBean(dev.orchestrator.dashboard.Dashboard.class);
        });
  }

  @Test
  void shadowEvaluationIsConfiguredFromProperties() {
    RUNNER.withUserConfiguration(ShadowProviders.class)
        .withPropertyValues("orchestrator.shadow.sample-rate=1", "orchestrator.shadow.judge=Judge",
            "orchestrator.shadow.promote-after=1 of 1", "orchestrator.shadow.max-cost-per-comparison=$0.05")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Orchestrator o = context.getBean(Orchestrator.class);
          RunSnapshot done = o.submit("spring", Workflow.builder("summary").task("sum", t -> t.instructions(
              "Summarise the tides").taskType("summarization").providers("claude", "gemini")).build())
              .completion().get(30, TimeUnit.SECONDS);
          assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
          List<dev.orchestrator.run.Run> comparisons = o.shadowComparisons(java.time.Duration.ofSeconds(10));
          assertThat(comparisons).hasSize(1);
          assertThat(comparisons.get(0).completion().get(30, TimeUnit.SECONDS).status())
              .isEqualTo(RunStatus.SUCCEEDED);
          assertThat(dev.orchestrator.core.learn.LearningReport.fromStore(o.store(), "spring",
              java.time.Instant.now()).shadows()).singleElement().satisfies(sh -> {
                assertThat(sh.challenger()).isEqualTo("gemini");
                assertThat(sh.promotion()).as("the judge prefers the cheap answer; 1 of 1 promotes")
                    .contains("gemini won 1 of its last 1");
              });
        });
  }

  /** A dear incumbent, a cheap challenger and a judge that prefers the answer saying "cheap". */
  @Configuration(proxyBeanMethods = false)
  static class ShadowProviders {
    private static dev.orchestrator.spi.provider.CostEstimate costs(String amount) {
      Money m = Money.usd(amount);
      return dev.orchestrator.spi.provider.CostEstimate.of(dev.orchestrator.TokenUsage.NONE, m, m, m,
          java.time.Duration.ZERO);
    }

    @Bean
    FakeProvider claude() {
      return FakeProvider.builder("claude").costPerCall(Money.usd("0.10")).estimate(costs("0.10"))
          .otherwise(r -> FakeProvider.Reply.text("dear answer")).build();
    }

    @Bean
    FakeProvider gemini() {
      return FakeProvider.builder("gemini").costPerCall(Money.usd("0.01")).estimate(costs("0.01"))
          .otherwise(r -> FakeProvider.Reply.text("cheap answer")).build();
    }

    @Bean
    FakeProvider judge() {
      return FakeProvider.builder("judge").otherwise(r -> {
        String p = r.prompt();
        boolean aCheap = p.substring(p.indexOf("Answer A:"), p.indexOf("Answer B:")).contains("cheap");
        return FakeProvider.Reply.text("{\"winner\":\"" + (aCheap ? "a" : "b") + "\",\"reason\":\"cheaper\"}");
      }).build();
    }
  }

  @Test
  void runsAWorkflowOnAConfiguredInstance() {
    RUNNER.withPropertyValues(SIMULATORS).run(context -> {
      Orchestrator o = context.getBean(Orchestrator.class);
      RunSnapshot done = o.submit("spring", Workflow.builder("hello")
          .task("greet", t -> t.title("Greet").instructions("Say hello to Spring")).build())
          .completion().get(30, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(done.tasks().get(0).provider()).isEqualTo("fast");
    });
  }

  @Test
  void usesTheApplicationsDataSource() {
    RUNNER.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(SIMULATORS)
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:ds-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Store.class)).isInstanceOf(JdbcStore.class);
          assertThat(context.getBean(Orchestrator.class).store()).isSameAs(context.getBean(Store.class));
        });
  }

  @Test
  void picksUpTheApplicationsProvidersListenersAndStrategy() {
    RUNNER.withUserConfiguration(UserBeans.class)
        .withPropertyValues("orchestrator.providers.mine.max-concurrent-calls=1",
            "orchestrator.providers.other.type=simulator", "orchestrator.default-provider=other")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Orchestrator o = context.getBean(Orchestrator.class);
          assertThat(o.providers()).containsExactly("mine", "other");
          RunSnapshot done = o.submit("spring", Workflow.builder("hello")
              .task("greet", t -> t.title("Greet").instructions("hi").provider("auto")).build())
              .completion().get(30, TimeUnit.SECONDS);
          assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
          assertThat(context.getBean(FakeProvider.class).calls()).hasSize(1);
          @SuppressWarnings("unchecked")
          List<Event> seen = (List<Event>) context.getBean("seen");
          assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOf(RunFinishedEvent.class));
          assertThat(context.getBean("chose")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
              .containsExactly("mine,other");
        });
  }

  @Test
  void backsOffForTheApplicationsOwnStoreAndOrchestrator() {
    InMemoryStore own = InMemoryStore.create();
    RUNNER.withPropertyValues(SIMULATORS).withBean(Store.class, () -> own).run(context -> {
      assertThat(context.getBean(Store.class)).isSameAs(own);
      assertThat(context.getBean(Orchestrator.class).store()).isSameAs(own);
    });
    RUNNER.withPropertyValues(SIMULATORS).withUserConfiguration(OwnOrchestrator.class).run(context -> {
      assertThat(context).hasSingleBean(Orchestrator.class);
      assertThat(context.getBean(Orchestrator.class).engineName()).isEqualTo("own");
    });
  }

  @Test
  void turnsOffWithEnabledFalse() {
    RUNNER.withPropertyValues(SIMULATORS).withPropertyValues("orchestrator.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Orchestrator.class).doesNotHaveBean(Store.class));
  }

  @Test
  void closesTheOrchestratorWithTheContext() {
    Orchestrator[] kept = new Orchestrator[1];
    RUNNER.withPropertyValues(SIMULATORS).run(context -> kept[0] = context.getBean(Orchestrator.class));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kept[0].submit("spring", Workflow.builder("w")
        .task("t", t -> t.title("T").instructions("x")).build())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startsTheDashboardWhenEnabled() {
    RUNNER.withPropertyValues(SIMULATORS)
        .withPropertyValues("orchestrator.dashboard.enabled=true", "orchestrator.dashboard.port=0")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(dev.orchestrator.dashboard.Dashboard.class);
          assertThat(context.getBean(dev.orchestrator.dashboard.Dashboard.class).url().getHost())
              .isEqualTo("127.0.0.1");
        });
  }

  @Test
  void anEnabledDashboardWithoutItsModuleStopsStartupWithTheDependencyToAdd() {
    RUNNER.withPropertyValues(SIMULATORS).withPropertyValues("orchestrator.dashboard.enabled=true")
        .withClassLoader(new FilteredClassLoader(dev.orchestrator.dashboard.Dashboard.class))
        .run(context -> assertThat(PropertyErrorsTest.failure(context)).contains("orchestrator.dashboard.enabled is"
            + " true, but the dashboard is not on the class path: add the dependency"
            + " dev.orchestrator:orchestrator-dashboard"));
  }

  @Test
  void keepsTheEmbeddedStoreInItsDirectory(@TempDir Path dir) {
    RUNNER.withPropertyValues(SIMULATORS)
        .withPropertyValues("orchestrator.store.type=embedded", "orchestrator.store.path=" + dir.resolve("store"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Store.class)).isInstanceOf(JdbcStore.class);
          assertThat(dir.resolve("store").resolve(JdbcStore.EMBEDDED_DATABASE_NAME + ".mv.db")).exists();
        });
  }

  @Test
  void aVendorInstanceWithoutItsKeyRunsOnTheSimulatorWhenAllowed() {
    RUNNER.withPropertyValues("orchestrator.simulate-missing-keys=true",
            "orchestrator.providers.chatgpt.type=openai", "orchestrator.providers.chatgpt.model=gpt-4o-mini",
            "orchestrator.providers.chatgpt.api-key-env=ORCHESTRATOR_TEST_KEY_THAT_IS_NOT_SET",
            "orchestrator.providers.chatgpt.properties.latency=0ms")
        .run(context -> {
          Orchestrator o = context.getBean(Orchestrator.class);
          RunSnapshot done = o.submit("spring", Workflow.builder("hello")
              .task("greet", t -> t.title("Greet").instructions("Say hello")).build())
              .completion().get(30, TimeUnit.SECONDS);
          assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
          assertThat(done.tasks().get(0).output()).startsWith("[SIMULATED reply from chatgpt (model gpt-4o-mini)");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBeans {
    @Bean
    FakeProvider mine() {
      return FakeProvider.echo("mine");
    }

    @Bean
    List<Event> seen() {
      return new CopyOnWriteArrayList<>();
    }

    @Bean
    EventSubscriber recorder(List<Event> seen) {
      return seen::add;
    }

    @Bean
    List<String> chose() {
      return new CopyOnWriteArrayList<>();
    }

    @Bean
    dev.orchestrator.learn.LearningStrategy inOrder(List<String> chose) {
      return a -> {
        chose.add(String.join(",", a.candidates().stream().sorted().toList()));
        return dev.orchestrator.learn.Choice.of("mine", List.of(), "the application's own strategy");
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnOrchestrator {
    @Bean(destroyMethod = "close")
    Orchestrator own() {
      return Orchestrator.builder().engineName("own").provider(FakeProvider.echo("x")).build();
    }
  }
}
