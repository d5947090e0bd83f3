package dev.orchestrator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlogPipelineExampleTest {
  @Test
  void runsTheThreeTasksInOrderAndPrintsOutputsAndTotals() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunSnapshot done = BlogPipelineExample.run("tides", new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(out).contains("== Research tides [SUCCEEDED, chatgpt]")
        .contains("Order: research on chatgpt -> draft on chatgpt -> edit on claude")
        .contains("Totals: 3 tasks")
        .contains("offline");
    assertThat(done.cost().isZero()).isFalse();
  }
}
