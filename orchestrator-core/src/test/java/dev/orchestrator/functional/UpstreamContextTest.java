package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.provider.CostEstimate;
import dev.orchestrator.spi.provider.AiProvider;
import dev.orchestrator.spi.provider.ProviderResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Work flows down the graph: a task's prompt holds its dependencies' outputs, as UpstreamContext documents. */
class UpstreamContextTest {
  private final Harness h = new Harness();

  /** Answers by the first line of the prompt, so each task's output is known and its prompt can be read back. */
  private static FakeProvider byTask() {
    return FakeProvider.builder("chatgpt").otherwise(r -> Reply.text("output of " + r.prompt().lines().findFirst()
        .orElse(""))).build();
  }

  private static String promptOf(FakeProvider p, String firstLine) {
    return p.requests().stream().map(ProviderRequest::prompt).filter(x -> x.startsWith(firstLine)).findFirst()
        .orElseThrow(() -> new AssertionError("no call started with " + firstLine));
  }

  private static String between(String text, String from, String to) {
    int start = text.indexOf(from) + from.length();
    return text.substring(start, text.indexOf(to, start));
  }

  private RunSnapshot run(FakeProvider p, Workflow w) {
    try (Orchestrator o = h.builder().provider(p).build()) {
      RunSnapshot done = o.submit("demo", w).completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
      return done;
    }
  }

  @Test
  void aTaskSeesEachDependencysOutputUnderItsTitleAfterItsInstructions() {
    FakeProvider p = byTask();
    run(p, Workflow.builder("w")
        .task("research", t -> t.title("Research composting").instructions("Research composting"))
        .task("outline", t -> t.instructions("Outline a post"))
        .task("draft", t -> t.instructions("Write the post").dependsOn("research", "outline"))
        .build());

    assertThat(promptOf(p, "Write the post")).isEqualTo("""
        Write the post

        The tasks this one depends on produced the following.

        === Task research: Research composting ===
        output of Research composting
        === End of task research ===

        === Task outline ===
        output of Outline a post
        === End of task outline ===""");
    assertThat(promptOf(p, "Research composting")).as("no dependencies, nothing appended")
        .isEqualTo("Research composting");
  }

  @Test
  void onlyDirectDependenciesAndTheirOutputsAsProducedNotTheirPrompts() {
    FakeProvider p = byTask();
    run(p, Workflow.builder("w")
        .task("a", t -> t.instructions("Step A"))
        .task("b", t -> t.instructions("Step B").dependsOn("a"))
        .task("c", t -> t.instructions("Step C").dependsOn("b"))
        .build());

    String c = promptOf(p, "Step C");
    assertThat(c).contains("=== Task b ===\noutput of Step B\n=== End of task b ===");
    assertThat(c).doesNotContain("Task a", "output of Step A");
  }

  @Test
  void anOutputPlacedByAPlaceholderIsNotRepeated() {
    FakeProvider p = byTask();
    run(p, Workflow.builder("w")
        .task("research", t -> t.instructions("Research"))
        .task("outline", t -> t.instructions("Outline"))
        .task("draft", t -> t.instructions("Draft from these notes: {{tasks.research.output}}")
            .dependsOn("research", "outline"))
        .build());

    String draft = promptOf(p, "Draft from these notes");
    assertThat(draft).startsWith("Draft from these notes: output of Research\n\n");
    assertThat(draft.split("output of Research", -1)).as("placed once, by the placeholder").hasSize(2);
    assertThat(draft).doesNotContain("=== Task research").contains("=== Task outline ===\noutput of Outline\n");
  }

  @Test
  void nothingIsAppendedWhenEveryDependencyIsPlaced() {
    FakeProvider p = byTask();
    run(p, Workflow.builder("w")
        .task("research", t -> t.instructions("Research"))
        .task("draft", t -> t.instructions("Draft from {{tasks.research.output}}").dependsOn("research"))
        .build());

    assertThat(promptOf(p, "Draft from")).isEqualTo("Draft from output of Research");
  }

  @Test
  void aTaskCanOptOutAndAWorkflowCanChooseForItsTasks() {
    FakeProvider p = byTask();
    run(p, Workflow.builder("w")
        .task("research", t -> t.instructions("Research"))
        .task("tweet", t -> t.instructions("Tweet").dependsOn("research").noContext())
        .task("draft", t -> t.instructions("Draft").dependsOn("research"))
        .build());
    assertThat(promptOf(p, "Tweet")).isEqualTo("Tweet");
    assertThat(promptOf(p, "Draft")).contains("output of Research");

    FakeProvider q = byTask();
    run(q, Workflow.builder("w").context(UpstreamContext.none())
        .task("research", t -> t.instructions("Research"))
        .task("tweet", t -> t.instructions("Tweet").dependsOn("research"))
        .task("draft", t -> t.instructions("Draft").dependsOn("research").context(UpstreamContext.parents()))
        .build());
    assertThat(promptOf(q, "Tweet")).isEqualTo("Tweet");
    assertThat(promptOf(q, "Draft")).contains("output of Research");
  }

  @Test
  void aTaskWithoutInstructionsGetsItsTitleAndItsDependencysOutput() {
    FakeProvider p = FakeProvider.builder("chatgpt").script(Reply.text("The draft, 132 tokens of it.")).build();
    run(p, Workflow.builder("w")
        .task("2", t -> t.title("Write draft").instructions("Write a draft"))
        .task("3", t -> t.title("Edit and refine").dependsOn("2"))
        .build());

    assertThat(promptOf(p, "Edit and refine")).isEqualTo("""
        Edit and refine

        The tasks this one depends on produced the following.

        === Task 2: Write draft ===
        The draft, 132 tokens of it.
        === End of task 2 ===""");
  }

  @Test
  void outputsOverTheBudgetLoseTheirMiddleAndTheSmallOneIsKeptWhole() {
    String big = "BEGIN " + "x".repeat(6_000) + " END";
    FakeProvider p = FakeProvider.builder("chatgpt").otherwise(r -> Reply.text(
        r.prompt().startsWith("Short") ? "short and whole" : r.prompt().startsWith("Long") ? big : "ok")).build();
    run(p, Workflow.builder("w")
        .task("short", t -> t.instructions("Short"))
        .task("long", t -> t.instructions("Long"))
        .task("merge", t -> t.instructions("Merge").dependsOn("short", "long").context(UpstreamContext.parents(100)))
        .build());

    String merge = promptOf(p, "Merge");
    assertThat(merge).contains("=== Task short ===\nshort and whole\n=== End of task short ===");
    // 100 tokens = 300 bytes: "short and whole" takes 5 tokens, the long output the other 95 (285 bytes),
    // 142 bytes of its beginning and 143 of its end.
    String kept = merge.substring(merge.indexOf("=== Task long ===\n") + 18, merge.indexOf("\n=== End of task long"));
    assertThat(kept).startsWith("BEGIN ").endsWith(" END");
    int cutChars = big.length() - 142 - 143;
    assertThat(kept).isEqualTo(big.substring(0, 142) + "\n[... " + cutChars + " characters (about "
        + (cutChars + 2) / 3 + " tokens) cut from the middle to fit the context budget ...]\n"
        + big.substring(big.length() - 143));
  }

  @Test
  void theDryRunPricesTheContextItWillAppend() {
    List<ProviderRequest> estimated = new ArrayList<>();
    FakeProvider fake = FakeProvider.echo("chatgpt");
    AiProvider recording = new AiProvider() {
      @Override
      public String name() {
        return "chatgpt";
      }

      @Override
      public String type() {
        return "fake";
      }

      @Override
      public CompletableFuture<ProviderResponse> complete(ProviderRequest request, CallContext context) {
        return fake.complete(request, context);
      }

      @Override
      public CostEstimate estimate(ProviderRequest request) {
        estimated.add(request);
        return CostEstimate.free();
      }
    };
    Workflow w = Workflow.builder("w")
        .task("research", t -> t.title("Research {{topic}}").maxOutputTokens(500))
        .task("outline", t -> t.instructions("Outline"))
        .task("draft", t -> t.instructions("Draft").dependsOn("research", "outline")
            .review(dev.orchestrator.workflow.Review.by("chatgpt", "Is it about {{topic}}?")))
        .task("tweet", t -> t.instructions("Tweet").dependsOn("draft").noContext())
        .build();
    try (Orchestrator o = h.builder().provider(recording).build()) {
      assertThat(o.plan("demo", w, Map.of("topic", "compost")).problems()).isEmpty();
    }

    String draft = estimated.stream().map(ProviderRequest::prompt).filter(x -> x.startsWith("Draft")).findFirst()
        .orElseThrow();
    assertThat(draft).contains("=== Task research: Research compost ===", "=== Task outline ===");
    // The research may write 500 tokens (a stand-in of 1500 bytes); the outline sets no limit, so it is priced at the
    // whole budget, which then leaves it 8000 - 500 tokens, cut in the middle as a real output would be.
    String research = between(draft, "=== Task research: Research compost ===\n", "\n=== End of task research");
    assertThat(UpstreamContext.estimateTokens(research)).isEqualTo(500);
    String outline = between(draft, "=== Task outline ===\n", "\n=== End of task outline");
    assertThat(outline).contains("cut from the middle to fit the context budget");
    assertThat(UpstreamContext.estimateTokens(outline.replaceAll("\n\\[\\.\\.\\. .* \\.\\.\\.]\n", "")))
        .isEqualTo(UpstreamContext.DEFAULT_MAX_TOKENS - 500);
    assertThat(estimated.stream().map(ProviderRequest::prompt)).contains("Tweet");
    assertThat(estimated).filteredOn(r -> r.taskType().equals("review")).singleElement()
        .satisfies(r -> assertThat(r.prompt()).as("the reviewer reads the criteria and the prompt with its context")
            .startsWith("Is it about compost?\nDraft").contains("=== Task outline ==="));
  }
}
