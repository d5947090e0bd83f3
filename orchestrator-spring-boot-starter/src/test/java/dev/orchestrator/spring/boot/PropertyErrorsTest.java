package dev.orchestrator.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Wrong properties stop the application at start, with the property, the value and the fix, and never a secret.
 */
class PropertyErrorsTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(OrchestratorAutoConfiguration.class,
          OrchestratorDashboardAutoConfiguration.class))
      .withPropertyValues("orchestrator.providers.fast.type=simulator");

  @Test
  void aValueOutOfRangeNamesThePropertyTheValueAndTheFix() {
    runner.withPropertyValues("orchestrator.retry.max-attempts=0").run(context ->
        assertThat(failure(context)).contains("retry.maxAttempts", "rejected value [0]",
            "maxAttempts must be >= 1 (was 0): count the first attempt too; 1 means no retry"));
  }

  @Test
  void aValueOfTheWrongTypeNamesTheProperty() {
    runner.withPropertyValues("orchestrator.retry.max-attempts=many").run(context ->
        assertThat(failure(context)).contains("orchestrator.retry.max-attempts", "many"));
  }

  @Test
  void everyWrongValueIsReportedAtOnce() {
    runner.withPropertyValues("orchestrator.circuit-breaker.window=soon", "orchestrator.time-zone=Mars/Olympus",
        "orchestrator.budgets[0].project=blog", "orchestrator.budgets[0].limit=-5",
        "orchestrator.providers.fast.max-concurrent-calls=0").run(context -> {
          String failure = failure(context);
          assertThat(failure).contains("circuitBreaker.window", "rejected value [soon]",
              "window must be a duration such as 500ms, 30s, 10m, 1h30m or 2d");
          assertThat(failure).contains("timeZone", "Mars/Olympus", "use a region such as Europe/Paris");
          assertThat(failure).contains("budgets[0].limit", "-5");
          assertThat(failure).contains("providers[fast].maxConcurrentCalls", "must be >= 1 (was 0)");
        });
  }

  @Test
  void wrongShadowSettingsAreNamed() {
    runner.withPropertyValues("orchestrator.shadow.sample-rate=2", "orchestrator.shadow.promote-after=3/5",
        "orchestrator.shadow.max-cost-per-comparison=lots").run(context -> {
          String failure = failure(context);
          assertThat(failure).contains("shadow.sampleRate", "sampleRate must be from 0 to 1 (was 2.0)");
          assertThat(failure).contains("shadow.promoteAfter", "must read 'N of M', such as \"3 of 5\" (was '3/5')");
          assertThat(failure).contains("shadow.maxCostPerComparison", "lots");
        });
  }

  @Test
  void aBudgetWithoutOneScopeIsRefused() {
    runner.withPropertyValues("orchestrator.budgets[0].project=blog", "orchestrator.budgets[0].global=true",
        "orchestrator.budgets[0].limit=5").run(context -> assertThat(failure(context))
        .contains("budgets[0]", "must name exactly one of project, provider or global: true (found 2)"));
  }

  @Test
  void aSecretIsNeverShown() {
    runner.withPropertyValues("orchestrator.dashboard.access-token=tooShortSecret").run(context -> {
      String failure = failure(context);
      assertThat(failure).contains("orchestrator.dashboard.access-token must be at least 16 printable ASCII "
          + "characters without spaces (was 14 characters)");
      assertThat(failure).doesNotContain("tooShortSecret");
    });
  }

  @Test
  void anUnknownProviderTypeNamesTheInstance() {
    runner.withPropertyValues("orchestrator.providers.fast.type=opneai").run(context ->
        assertThat(failure(context)).contains("the orchestrator cannot start from the orchestrator.* properties",
            "fast", "opneai"));
  }

  @Test
  void aVendorInstanceWithoutItsKeyNamesTheVariableToSet() {
    runner.withPropertyValues("orchestrator.providers.chatgpt.type=openai",
        "orchestrator.providers.chatgpt.api-key-env=ORCHESTRATOR_TEST_KEY_THAT_IS_NOT_SET").run(context ->
        assertThat(failure(context)).contains("plugin 'chatgpt' (type openai) has no API key: set the environment"
            + " variable ORCHESTRATOR_TEST_KEY_THAT_IS_NOT_SET"));
  }

  @Test
  void anInstanceWithoutTypeNeedsABeanOfItsName() {
    runner.withPropertyValues("orchestrator.providers.mine.max-concurrent-calls=2").run(context ->
        assertThat(failure(context)).contains("orchestrator.providers.mine has no type and there is no AiProvider"
            + " bean named 'mine'"));
  }

  @Test
  void anUnknownLearningStrategyListsTheKnownOnes() {
    runner.withPropertyValues("orchestrator.learning.strategy=clever").run(context ->
        assertThat(failure(context)).contains("orchestrator.learning.strategy: there is no learning strategy"
            + " 'clever' (known: ", "adaptive"));
  }

  @Test
  void aDataSourceStoreNeedsADataSource() {
    runner.withPropertyValues("orchestrator.store.type=datasource").run(context ->
        assertThat(failure(context)).contains("orchestrator.store.type is datasource, but the application has no"
            + " DataSource bean"));
  }

  @Test
  void twoDataSourcesWithoutAPrimaryOneAreNotGuessedBetween() {
    runner.withBean("first", javax.sql.DataSource.class, () -> h2("first"))
        .withBean("second", javax.sql.DataSource.class, () -> h2("second"))
        .run(context -> assertThat(failure(context)).contains("orchestrator.store.type is auto, and the application"
            + " has 2 DataSource beans and none is @Primary: mark the one for the orchestrator @Primary"));
  }

  private static javax.sql.DataSource h2(String name) {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Test
  void anUnknownStoreTypeIsRefused() {
    runner.withPropertyValues("orchestrator.store.type=cloud").run(context ->
        assertThat(failure(context)).contains("orchestrator.store.type", "cloud"));
  }

  @Test
  void aBudgetOnAnUnknownProviderIsRefused() {
    runner.withPropertyValues("orchestrator.budgets[0].provider=claude", "orchestrator.budgets[0].limit=5")
        .run(context -> assertThat(failure(context)).contains("provider 'claude'", "fix the name"));
  }

  /** Every message of the failure and its causes, as Spring Boot reports them. */
  static String failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    List<String> messages = new ArrayList<>();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return String.join("\n", messages);
  }
}
