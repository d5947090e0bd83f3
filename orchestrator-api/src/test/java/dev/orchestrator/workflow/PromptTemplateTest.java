package dev.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
  @Test
  void findsParametersTaskReferencesAndInput() {
    PromptTemplate t = PromptTemplate.of("Write {{ words }} words on {{topic}} using {{tasks.research.output}} {{input}}");
    assertThat(t.parameters()).containsExactly("words", "topic");
    assertThat(t.taskReferences()).containsExactly("research");
    assertThat(t.placeholders()).contains("input");
  }

  @Test
  void leavesUnknownPlaceholdersAsWritten() {
    assertThat(PromptTemplate.of("a {{x}} b {{y}}").render(Map.of("x", "1")::get)).isEqualTo("a 1 b {{y}}");
  }

  @Property
  void aFilledInValueIsNeverExpandedAgain(@ForAll String value) {
    String rendered = PromptTemplate.of("<{{v}}|{{w}}>").render(Map.of("v", value, "w", "W")::get);
    assertThat(rendered).isEqualTo("<" + value + "|W>");
  }
}
