package dev.orchestrator.examples;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.event.TaskStartedEvent;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.workflow.Workflow;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The README's main example: a three-task workflow (research, draft, edit) on two local offline providers. Prints
 * each task's output, the order the tasks ran in, and the totals.
 */
public final class BlogPipelineExample {
  private BlogPipelineExample() {}

  public static void main(String[] args) {
    run(args.length > 0 ? String.join(" ", args) : "AI orchestration", System.out);
  }

  /** Runs the pipeline on {@code topic} and prints to {@code out}; returns the finished run. */
  public static RunSnapshot run(String topic, PrintStream out) {
    Workflow blog = Workflow.builder("blog-post")
        .task("research", t -> t.title("Research {{topic}}")
            .instructions("List the five facts about {{topic}} a reader must know.").provider("chatgpt"))
        .task("draft", t -> t.title("Draft")
            .instructions("Write a 600-word post on {{topic}} from these notes:\n{{tasks.research.output}}")
            .provider("chatgpt").dependsOn("research"))
        .task("edit", t -> t.title("Edit")
            .instructions("Tighten this draft and fix its tone:\n{{tasks.draft.output}}")
            .provider("claude").dependsOn("draft"))
        .build();

    List<String> order = new CopyOnWriteArrayList<>();
    try (Orchestrator orchestrator = Orchestrator.builder()
        .provider(new OfflineProvider("chatgpt"))
        .provider(new OfflineProvider("claude"))
        .listener(e -> {
          if (e instanceof TaskStartedEvent s) {
            order.add(s.taskId() + " on " + s.provider());
          }
        })
        .build()) {
      RunSnapshot done = orchestrator.submit("examples", blog, Map.of("topic", topic)).completion().join();
      out.println("Run " + done.run().id() + ": " + done.status() + " (offline providers: no keys, no network)");
      out.println();
      for (TaskRecord t : done.tasks()) {
        out.println("== " + t.title() + " [" + t.state() + ", " + t.provider() + "]");
        out.println(t.output());
        out.println();
      }
      out.println("Order: " + String.join(" -> ", order));
      out.println("Totals: " + done.tasks().size() + " tasks, " + done.usage().inputTokens() + " input + "
          + done.usage().outputTokens() + " output tokens, " + done.cost());
      return done;
    }
  }
}
