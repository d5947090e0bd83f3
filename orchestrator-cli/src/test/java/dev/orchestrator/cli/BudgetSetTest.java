package dev.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code budget set} refuses amounts the shell mangled, other currencies and an unconfirmed zero, changing nothing. */
class BudgetSetTest {
  @TempDir
  Path temp;

  CliHarness cli;

  @BeforeEach
  void setUp() throws IOException {
    cli = new CliHarness(temp.resolve("data"));
    assertThat(cli.run("project", "create", "demo").code()).isZero();
  }

  @AfterEach
  void tearDown() {
    cli.close();
  }

  /** The limits as the report shows them: the project's and each provider's. */
  private String limits() {
    return cli.run("--project", "demo", "budget", "report").out();
  }

  private void assertRefused(CliHarness.Result r, String... inError) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(inError);
    assertThat(r.out()).doesNotContain("Budget set");
  }

  @Test
  void anUnquotedDollarAmountThatTheShellExpandedIsRefusedWithTheQuotingRule() {
    String before = limits();
    // budget set --limit $100 reaches the program as 00, $1000 as 000, $1.50 as .50 and $5 as an empty argument.
    for (String mangled : new String[] {"00", "000", ".50", "", " ", "05"}) {
      assertRefused(cli.run("--project", "demo", "budget", "set", "--limit", mangled),
          "--limit was '" + mangled + "'", "quote the $ (--limit '$100')", "(--limit 100)", "nothing was changed");
    }
    assertRefused(cli.run("budget", "set", "--ai", "claude", "--daily-limit", "00"), "--daily-limit was '00'");
    assertThat(limits()).isEqualTo(before);
  }

  @Test
  void anAmountWithNoArgumentAtAllGetsTheQuotingHint() {
    // budget set --limit $5 with nothing after it: the shell drops the empty word, so --limit has no value.
    CliHarness.Result r = cli.run("budget", "set", "--limit");
    assertRefused(r, "If you typed --limit $5 without quotes", "--limit '$5'");
  }

  @Test
  void otherCurrenciesAreAUsageErrorThatChangesNothing() {
    for (String foreign : new String[] {"5 EUR", "5EUR", "eur 5", "\u20ac5", "5 gbp"}) {
      assertRefused(cli.run("--project", "demo", "budget", "set", "--limit", foreign),
          "--limit must be in US dollars", "was '" + foreign + "'", "nothing was changed");
    }
    assertThat(cli.run("--project", "demo", "budget", "report").out()).contains("Remaining: no limit set");
    assertThat(cli.run("--project", "demo", "budget", "set", "--limit", "5 USD").code()).isZero();
    assertThat(cli.run("--project", "demo", "budget", "report").out()).contains("Remaining: $5.00");
  }

  @Test
  void aZeroLimitIsSetOnlyWhenConfirmedSinceItStopsEveryPaidCall() {
    CliHarness.Result refused = cli.run("--project", "demo", "budget", "set", "--limit", "0");
    assertRefused(refused, "--limit 0 sets a limit of $0.00 on project demo", "stops every paid call",
        "add --yes");
    assertThat(cli.run("--project", "demo", "budget", "report").out()).contains("Remaining: no limit set");
    CliHarness.Result confirmed = cli.run("--project", "demo", "budget", "set", "--limit", "0", "--yes");
    assertThat(confirmed.code()).as(confirmed.toString()).isZero();
    assertThat(confirmed.out()).isEqualTo("Budget set: project demo limit $0.00.\n");
  }

  @Test
  void quotedAndPlainAmountsAreSavedAsTyped() {
    assertThat(cli.run("--project", "demo", "budget", "set", "--limit", "$100").out())
        .isEqualTo("Budget set: project demo limit $100.00.\n");
    assertThat(cli.run("--project", "demo", "budget", "set", "--limit", "0.5").out())
        .isEqualTo("Budget set: project demo limit $0.50.\n");
    assertThat(cli.run("--project", "demo", "budget", "set", "--limit", "$1.50").out())
        .isEqualTo("Budget set: project demo limit $1.50.\n");
  }
}
