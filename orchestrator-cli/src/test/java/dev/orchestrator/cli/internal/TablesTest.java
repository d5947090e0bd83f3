package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one table layout: columns line up whatever the width of their content. */
class TablesTest {
  @Test
  void columnsLineUpWithWideContent() {
    String wide = "x".repeat(70);
    String table = Tables.render(List.of("ID", "NAME", "COST"), List.of(
        List.of("a", wide, "$0.013"),
        List.of(wide, "b", "$12.50"),
        List.of("→ café 🚀", "c", "$0.00058")), Set.of(2));
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(4);
    // Every row's second column starts where the header's does, counted in characters.
    int nameAt = lines.get(0).indexOf("NAME");
    for (String line : lines.subList(1, 4)) {
      String cells = line.substring(line.offsetByCodePoints(0, nameAt));
      assertThat(line.codePointAt(line.offsetByCodePoints(0, nameAt - 1))).as(line).isEqualTo(' ');
      assertThat(cells).as(line).doesNotStartWith(" ");
    }
    // Amounts are right-aligned: every line ends at the same column.
    assertThat(lines.stream().map(l -> l.codePointCount(0, l.length())).distinct()).hasSize(1);
    assertThat(table).doesNotContain(" \n");
  }

  @Test
  void aLineBreakInACellStaysOnOneLine() {
    assertThat(Tables.render(List.of("A", "B"), List.of(List.of("one\ntwo", "x"))))
        .isEqualTo("A        B\none two  x\n");
  }

  @Test
  void longValuesAreCutInMessages() {
    String name = "n".repeat(5000);
    assertThat(Texts.cut(name)).isEqualTo("n".repeat(80) + "\u2026 (5000 characters)");
    assertThat(Texts.cut("short")).isEqualTo("short");
    assertThat(Texts.cutIn("project '" + name + "' is bad", name)).isEqualTo("project '" + "n".repeat(80)
        + "\u2026 (5000 characters)' is bad");
  }

  @Test
  void quotedValuesAreCutButNotTheTextBetweenTwoValues() {
    String name = "n".repeat(5000);
    assertThat(Texts.cutQuoted("no run '" + name + "' here")).isEqualTo("no run '" + "n".repeat(80)
        + "\u2026 (5000 characters)' here");
    String sentence = "--limit was '00', which looks like an amount whose $ the shell replaced ($100 arrives as 00, $5 "
        + "as nothing): quote the $ (--limit '$100')";
    assertThat(Texts.cutQuoted(sentence)).isEqualTo(sentence);
    String empty = sentence.replace("'00'", "''");
    assertThat(Texts.cutQuoted(empty)).isEqualTo(empty);
  }

  @Test
  void didYouMean() {
    assertThat(Names.closest("quantm", List.of("default", "quantum-self"))).isEqualTo("quantum-self");
    assertThat(Names.closest("defualt", List.of("default", "quantum-self"))).isEqualTo("default");
    assertThat(Names.closest("zzzzzz", List.of("default", "quantum-self"))).isNull();
  }
}
