package dev.orchestrator.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.MessageExchangedEvent;
import dev.orchestrator.run.Run;
import dev.orchestrator.run.RunStatus;
import dev.orchestrator.spi.provider.Message;
import dev.orchestrator.spi.provider.ProviderRequest;
import dev.orchestrator.workflow.Review;
import dev.orchestrator.workflow.Workflow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peer review as a dialogue: the reviewer's verdict and the author's revision are turns of one conversation, the
 * author sees the reviewer's exact comments, the reviewer sees its own verdict and the revision.
 */
class ReviewDialogueTest {
  private static final String REJECT = "{\"approved\": false, \"score\": 4, \"feedback\": \"Too formal: say hi.\"}";
  private static final String APPROVE = "{\"approved\": true, \"score\": 9, \"feedback\": \"Warm now.\"}";
  private final Harness h = new Harness();

  @Test
  void aRejectionAndTheRevisionAreTurnsOfTheAuthorsAndTheReviewersConversations() {
    Scripted author = new Scripted("chatgpt", true).text("Dear valued customer.").text("Hi there!");
    Scripted reviewer = new Scripted("claude", true).text(REJECT).text(APPROVE);
    try (Orchestrator o = h.builder().provider(author).provider(reviewer).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("post", t -> t.instructions("Write a greeting.")
          .provider("chatgpt").review(Review.by("claude", "Is it warm?"))).build());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.task("post").output()).isEqualTo("Hi there!");

      ProviderRequest revision = author.requests().get(1);
      assertThat(revision.messages()).extracting(Message::role).containsExactly(Message.Role.USER,
          Message.Role.ASSISTANT, Message.Role.USER);
      assertThat(revision.messages().get(0).text()).isEqualTo("Write a greeting.");
      assertThat(revision.messages().get(1).text()).isEqualTo("Dear valued customer.");
      assertThat(revision.messages().get(2).text()).contains("claude", "score 4/10",
          "Their comments, exactly:\nToo formal: say hi.");
      assertThat(revision.prompt()).as("one text for single-prompt providers, as before")
          .contains("A reviewer rejected your previous answer. Their feedback:\nToo formal: say hi.");

      ProviderRequest secondReview = reviewer.requests().get(1);
      List<Message> turns = secondReview.messages();
      assertThat(turns).extracting(Message::role).containsExactly(Message.Role.USER, Message.Role.ASSISTANT,
          Message.Role.USER);
      assertThat(turns.get(0).text()).contains("Dear valued customer.");
      assertThat(turns.get(1).text()).isEqualTo(REJECT);
      assertThat(turns.get(2).text()).contains("The revision:\nHi there!");
      assertThat(secondReview.expectedOutput()).isEqualTo(reviewer.requests().get(0).expectedOutput());

      assertThat(h.events.events(MessageExchangedEvent.class))
          .extracting(e -> e.kind() + " " + e.from() + "->" + e.to() + ": " + e.text())
          .containsExactly("review claude->chatgpt: Rejected (round 1, score 4/10): Too formal: say hi.",
              "revision chatgpt->claude: Hi there!",
              "review claude->chatgpt: Approved (round 2, score 9/10): Warm now.");
    }
  }

  @Test
  void aProviderThatTakesOneTextGetsThePromptAsBefore() {
    Scripted author = new Scripted("chatgpt", false).text("Dear valued customer.").text("Hi there!");
    Scripted reviewer = new Scripted("claude", false).text(REJECT).text(APPROVE);
    try (Orchestrator o = h.builder().provider(author).provider(reviewer).build()) {
      Run run = o.submit("demo", Workflow.builder("w").task("post", t -> t.instructions("Write a greeting.")
          .provider("chatgpt").review(Review.by("claude", "Is it warm?"))).build());
      assertThat(run.completion().join().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(author.requests().get(1).prompt()).startsWith("Write a greeting.\n\nA reviewer rejected your "
          + "previous answer.");
      assertThat(reviewer.requests().get(1).prompt()).as("the second review reads as the first did, of the revision")
          .startsWith("You review another assistant's answer.").contains("Its answer:\nHi there!")
          .doesNotContain("Dear valued customer.");
    }
  }
}
