package dev.orchestrator.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.OrchestratorException;
import dev.orchestrator.store.jdbc.StoreUnavailableException;
import dev.orchestrator.store.jdbc.StoreUnavailableException.Reason;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How the store's refusals reach the user: the store's plain words and the documented exit code, wherever they hide. */
class ErrorsTest {
  private static final Path DIR = Path.of("/home/ann/.orchestrator/store");

  private static StoreUnavailableException refusal(Reason reason, String message) {
    return new StoreUnavailableException(reason, DIR, message,
        new SQLException("Wrong user name or password [28000-240]", "28000", 28000));
  }

  @Test
  void aDataDirectoryProblemIsConfiguration() {
    for (Reason r : new Reason[] {Reason.NOT_A_DIRECTORY, Reason.UNREADABLE, Reason.READ_ONLY, Reason.DAMAGED}) {
      StoreUnavailableException e = refusal(r, "the data directory '" + DIR + "' is wrong: fix it");
      assertThat(Errors.exitCode(e)).isEqualTo(ExitCodes.CONFIG);
      assertThat(Errors.line(e)).startsWith("the data directory '" + DIR + "' is wrong: fix it")
          .contains("--data-dir", "ORCHESTRATOR_HOME").doesNotContain("Wrong user name");
      assertThat(Stores.refusal(e).exitCode()).isEqualTo(ExitCodes.CONFIG);
    }
  }

  @Test
  void aBusyStoreIsRefusedForNow() {
    StoreUnavailableException e = refusal(Reason.BUSY, "the store in '" + DIR + "' stayed busy for more than 30 s");
    assertThat(Errors.exitCode(e)).isEqualTo(ExitCodes.REFUSED);
    assertThat(Errors.line(e)).isEqualTo("the store in '" + DIR + "' stayed busy for more than 30 s");
  }

  @Test
  void aRefusalWrappedByTheEngineStillSpeaksPlainly() {
    StoreUnavailableException busy = refusal(Reason.BUSY, "the store in '" + DIR + "' stayed busy for more than 30 s");
    RuntimeException wrapped = new OrchestratorException("run r could not be saved: " + busy.getMessage()
        + " (SQLState 90020)", new IllegalStateException("engine", busy));
    assertThat(Errors.exitCode(wrapped)).isEqualTo(ExitCodes.REFUSED);
    assertThat(Errors.line(wrapped)).isEqualTo(busy.getMessage()).doesNotContain("SQLState");
  }

  @Test
  void otherFailuresKeepTheirMapping() {
    assertThat(Errors.exitCode(new OrchestratorException("x"))).isEqualTo(ExitCodes.CONFIG);
    assertThat(Errors.exitCode(new IllegalStateException("x"))).isEqualTo(ExitCodes.REFUSED);
    assertThat(Errors.exitCode(new RuntimeException("x"))).isEqualTo(ExitCodes.INTERNAL);
  }
}
