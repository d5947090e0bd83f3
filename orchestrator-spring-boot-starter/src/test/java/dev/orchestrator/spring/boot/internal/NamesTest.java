package dev.orchestrator.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Property keys written in kebab-case reach plugins in the camelCase they read. */
class NamesTest {
  @Test
  void kebabAndSnakeCaseBecomeCamelCaseInEachPart() {
    assertThat(Names.camel("max-cost-per-call")).isEqualTo("maxCostPerCall");
    assertThat(Names.camel("min_samples")).isEqualTo("minSamples");
    assertThat(Names.camel("price.input")).isEqualTo("price.input");
    assertThat(Names.camel("price.cached-input")).isEqualTo("price.cachedInput");
  }

  @Test
  void camelCaseStays() {
    assertThat(Names.camel("tokensPerSecond")).isEqualTo("tokensPerSecond");
    assertThat(Names.camel("seed")).isEqualTo("seed");
  }
}
