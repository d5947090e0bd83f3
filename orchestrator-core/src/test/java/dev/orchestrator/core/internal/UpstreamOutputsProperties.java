package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.workflow.UpstreamContext;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The context budget's rule: never over the budget, a cut line exactly where something was cut, a fair split. */
class UpstreamOutputsProperties {
  private static final String MARKER_END = " cut from the middle to fit the context budget ...]";

  @Provide
  Arbitrary<List<String>> outputs() {
    // ASCII, 2-byte, 3-byte and 4-byte (surrogate pair) characters, and line breaks.
    Arbitrary<String> text = Arbitraries.of("a", "b", " ", "\n", "é", "€", "界", "😀")
        .list().ofMaxSize(400).map(l -> String.join("", l));
    return text.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property
  void theKeptOutputsNeverExceedTheBudgetAndACutIsAlwaysMarked(@ForAll("outputs") List<String> outputs,
      @ForAll @IntRange(min = 0, max = 600) int budget) {
    String[] texts = outputs.toArray(String[]::new);
    UpstreamOutputs.Placed[] placed = UpstreamOutputs.fit(texts, budget);

    long total = 0;
    for (String t : texts) {
      total += UpstreamContext.estimateTokens(t);
    }
    long kept = 0;
    int cuts = 0;
    for (int i = 0; i < texts.length; i++) {
      UpstreamOutputs.Placed p = placed[i];
      assertThat(p.output()).isSameAs(texts[i]);
      kept += p.keptTokens();
      StringBuilder shown = new StringBuilder();
      p.appendTo(shown);
      if (p.cut()) {
        cuts++;
        String marker = UpstreamOutputs.marker(texts[i], p.head(), p.tail());
        assertThat(shown.toString()).as("the cut line sits between the beginning and the end")
            .startsWith(texts[i].substring(0, p.head())).contains(marker)
            .endsWith(texts[i].substring(p.tail()));
        assertThat(Character.isLowSurrogate(texts[i].charAt(p.head())) && p.head() > 0
            && Character.isHighSurrogate(texts[i].charAt(p.head() - 1))).as("no character split").isFalse();
        assertThat(p.tail() < texts[i].length() && Character.isLowSurrogate(texts[i].charAt(p.tail()))).isFalse();
      } else {
        assertThat(shown.toString()).as("an output not cut is placed whole, with no cut line").isEqualTo(texts[i]);
      }
    }
    if (total <= budget) {
      assertThat(cuts).as("outputs that fit are never cut").isZero();
    } else {
      assertThat(cuts).as("outputs over the budget are cut").isPositive();
      assertThat(kept).as("never over the budget").isLessThanOrEqualTo(budget);
      assertThat(kept).as("the budget is used, but for a token per cut lost to whole characters")
          .isGreaterThanOrEqualTo(budget - cuts);
    }
  }

  @Property
  void anOutputWithinAnEqualShareIsKeptWhole(@ForAll("outputs") List<String> outputs,
      @ForAll @IntRange(min = 0, max = 600) int budget) {
    String[] texts = outputs.toArray(String[]::new);
    UpstreamOutputs.Placed[] placed = UpstreamOutputs.fit(texts, budget);
    for (int i = 0; i < texts.length; i++) {
      if (UpstreamContext.estimateTokens(texts[i]) <= budget / texts.length) {
        assertThat(placed[i].cut()).isFalse();
      }
    }
  }

  @Example
  void theCutLineSaysHowMuchWasCut() {
    String text = "0123456789".repeat(10);
    UpstreamOutputs.Placed p = UpstreamOutputs.cut(text, 10);
    StringBuilder sb = new StringBuilder();
    p.appendTo(sb);
    assertThat(sb.toString()).isEqualTo("012345678901234\n[... 70 characters (about 24 tokens)" + MARKER_END
        + "\n567890123456789");
  }
}
