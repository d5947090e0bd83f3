package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter values reach prompts as documented, whatever Java type carries them. */
class ParameterRenderingTest {
  private final Harness h = new Harness();

  private String rendered(Object value) {
    FakeProvider p = FakeProvider.echo("chatgpt");
    Workflow w = Workflow.builder("w").task("t", t -> t.instructions("[{{v}}]")).build();
    try (Orchestrator o = h.builder().provider(p).build()) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("v", value);
      assertThat(o.submit("demo", w, params).completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    String prompt = p.requests().get(0).prompt();
    return prompt.substring(1, prompt.length() - 1);
  }

  @Test
  void numbersInTheirShortestFormWithoutExponent() {
    assertThat(rendered(300.0)).isEqualTo("300");
    assertThat(rendered(300.0f)).isEqualTo("300");
    assertThat(rendered(0.5)).isEqualTo("0.5");
    assertThat(rendered(0.1)).isEqualTo("0.1");
    assertThat(rendered(-2.50)).isEqualTo("-2.5");
    assertThat(rendered(1e21)).isEqualTo("1000000000000000000000");
    assertThat(rendered(1.5e-7)).isEqualTo("0.00000015");
    assertThat(rendered(-0.0)).isEqualTo("0");
    assertThat(rendered(1200)).isEqualTo("1200");
    assertThat(rendered(12_000_000_000L)).isEqualTo("12000000000");
    assertThat(rendered(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
    assertThat(rendered(new BigDecimal("9.90"))).isEqualTo("9.9");
    assertThat(rendered(new BigDecimal("1E+3"))).isEqualTo("1000");
  }

  @Test
  void listsJoinedWithACommaAndBooleansAndTextAsThey() {
    assertThat(rendered(List.of("blog", "x"))).isEqualTo("blog, x");
    assertThat(rendered(new String[] {"blog", "x"})).isEqualTo("blog, x");
    assertThat(rendered(List.of(300.0, 0.5, true))).isEqualTo("300, 0.5, true");
    assertThat(rendered(new int[] {1, 2})).isEqualTo("1, 2");
    assertThat(rendered(true)).isEqualTo("true");
    assertThat(rendered(Boolean.FALSE)).isEqualTo("false");
    assertThat(rendered("300.0 words, [\"as\", \"typed\"]")).isEqualTo("300.0 words, [\"as\", \"typed\"]");
  }
}
