package dev.orchestrator.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.ReviewCompletedEvent;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.testkit.FakeProvider;
import dev.orchestrator.testkit.FakeProvider.Reply;
import dev.orchestrator.testkit.ManualScheduler;
import dev.orchestrator.testkit.MutableClock;
import dev.orchestrator.testkit.RecordingListener;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Templates run through the engine with everything they say: context, reviews, parameters as documented. */
class TemplateRunTest {
  private final MutableClock clock = MutableClock.create();
  private final RecordingListener events = new RecordingListener();

  private Orchestrator.Builder engine() {
    return Orchestrator.builder().clock(clock).scheduler(new ManualScheduler(clock)).executor(Runnable::run)
        .listener(events);
  }

  private static String promptStartingWith(FakeProvider p, String start) {
    return p.requests().stream().map(ProviderRequest::prompt).filter(x -> x.startsWith(start)).findFirst()
        .orElseThrow(() -> new AssertionError(p + " had no call starting with " + start + ": " + p.requests()));
  }

  @Test
  void theRoadmapsEditAndRefineSeesTheDraftItEdits() throws Exception {
    BoundTemplate bound = Template.parse(GoldenFiles.resource("/roadmap/blog_post_pipeline.json"))
        .bind(Map.of("topic", "home composting", "target_length", 300.0, "seo_keywords", List.of("blog", "x")));
    String draft = "# Home composting\n\nA 300 word article on composting at home, in 132 tokens.";
    FakeProvider chatgpt = FakeProvider.builder("chatgpt").otherwise(r -> Reply.text(
        r.prompt().startsWith("Write") ? draft : "Research notes: greens, browns, air.")).build();
    FakeProvider claude = FakeProvider.builder("claude").otherwise(r -> Reply.text("The edited article.")).build();
    try (Orchestrator o = engine().provider(chatgpt).provider(claude).build()) {
      RunSnapshot done = o.submit("demo", bound.workflow()).completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    assertThat(promptStartingWith(chatgpt, "Write")).as("300.0 is written 300").startsWith("Write 300 word article\n\n")
        .contains("=== Task 1: Research home composting ===\nResearch notes: greens, browns, air.\n");
    assertThat(claude.requests()).singleElement().extracting(ProviderRequest::prompt).isEqualTo("""
        Edit and refine

        The tasks this one depends on produced the following.

        === Task 2: Write draft on home composting ===
        # Home composting

        A 300 word article on composting at home, in 132 tokens.
        === End of task 2 ===""");
  }

  @Test
  void aTemplatesReviewRunsThroughTheEngineWithItsCriteriaFilled() {
    BoundTemplate bound = TemplateLibrary.builder().noUserDirectory().build().require("blog_post_pipeline")
        .bind(Map.of("topic", "home composting", "seo_keywords", List.of("compost", "bokashi")));
    assertThat(bound.workflow().task("edit").review()).isNotNull();
    FakeProvider chatgpt = FakeProvider.echo("chatgpt");
    FakeProvider claude = FakeProvider.echo("claude");
    FakeProvider gemini = FakeProvider.builder("gemini").otherwise(r -> r.taskType().equals("review")
        ? Reply.text("{\"approved\": true, \"score\": 9, \"feedback\": \"accurate\"}") : Reply.text("gemini: done"))
        .build();
    try (Orchestrator o = engine().provider(chatgpt).provider(claude).provider(gemini).build()) {
      RunSnapshot done = o.submit("demo", bound.workflow()).completion().join();
      assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    List<ProviderRequest> reviews = gemini.requests().stream().filter(r -> r.taskType().equals("review")).toList();
    assertThat(reviews).as("the review of 'edit' ran").singleElement().extracting(ProviderRequest::prompt)
        .asString().contains("Check that the edited post about home composting keeps every fact from the draft"
            + " accurate and reads well for curious beginners", "Edit this draft as a demanding senior editor");
    assertThat(events.events(ReviewCompletedEvent.class)).singleElement()
        .satisfies(e -> assertThat(e.score()).isEqualTo(9));
  }

  @Test
  void valuesTypedOnACommandLineReachThePromptAsTheTemplateWritesThem() {
    Template t = Template.parse("""
        {"name": "t", "parameters": {"tags": "array", "words": "number", "short": "boolean"},
         "tasks": [{"id": 1, "instructions": "Tags: {{tags}}. Words: {{words}}. Short: {{short}}."}]}""");
    // What `orchestrator run t -P tags='["blog","x"]' -P words=300.0 -P short=TRUE` gives: text only.
    BoundTemplate bound = t.bind(Map.of("tags", "[\"blog\",\"x\"]", "words", "300.0", "short", "TRUE"));
    FakeProvider echo = FakeProvider.echo("claude");
    try (Orchestrator o = engine().provider(echo).defaultProvider("claude").build()) {
      o.submit("demo", bound.workflow(), bound.values()).completion().join();
      o.submit("demo", bound.workflow()).completion().join();
    }
    assertThat(echo.requests()).extracting(ProviderRequest::prompt).containsExactly(
        "Tags: blog, x. Words: 300. Short: true.", "Tags: blog, x. Words: 300. Short: true.");
  }

  @Test
  void contextIsATaskFieldOfTheFormat() {
    Template t = Template.parse("""
        {"name": "t", "tasks": [
          {"id": 1},
          {"id": 2, "depends_on": [1], "context": "none"},
          {"id": 3, "depends_on": [1], "context": {"max_tokens": 500}},
          {"id": 4, "depends_on": [1], "context": "parents"},
          {"id": 5, "depends_on": [1]}]}""");
    Workflow w = t.instantiate(Map.of());
    assertThat(w.task("2").context()).isEqualTo(UpstreamContext.none());
    assertThat(w.task("3").context()).isEqualTo(UpstreamContext.parents(500));
    assertThat(w.task("4").context()).isEqualTo(UpstreamContext.parents());
    assertThat(w.task("5").context()).isNull();
    assertThat(w.context(w.indexOf("5"))).isEqualTo(UpstreamContext.parents());

    FakeProvider echo = FakeProvider.echo("claude");
    try (Orchestrator o = engine().provider(echo).defaultProvider("claude").build()) {
      o.submit("demo", w).completion().join();
    }
    assertThat(echo.requests()).extracting(ProviderRequest::prompt).contains("2")
        .anySatisfy(p -> assertThat(p).startsWith("3\n\n").contains("=== Task 1 ===\nclaude: 1\n"));

    assertThatThrownBy(() -> Template.parse("{\"name\": \"t\", \"tasks\": [{\"id\": 1, \"context\": \"all\"}]}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("task '1': context must be \"parents\"");
    assertThatThrownBy(() -> Template.parse(
        "{\"name\": \"t\", \"tasks\": [{\"id\": 1, \"context\": {\"max_tokens\": 0}}]}"))
        .isInstanceOf(InvalidTemplateException.class)
        .hasMessageContaining("max_tokens must be a whole number from 1");
  }
}
