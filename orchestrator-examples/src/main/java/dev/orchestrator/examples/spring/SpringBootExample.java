package dev.orchestrator.examples.spring;

import dev.orchestrator.core.Orchestrator;
import dev.orchestrator.run.RunSnapshot;
import dev.orchestrator.run.TaskRecord;
import dev.orchestrator.workflow.Workflow;
import java.io.PrintStream;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The orchestrator in a Spring Boot application: everything is configured in {@code spring-example.yml} (provider
 * instances, budgets, policies, the store on the application's H2 DataSource), and the application only asks for the
 * {@link Orchestrator} bean. Runs a two-task workflow and prints what it made.
 *
 * <pre>{@code
 * mvn -q -B -pl orchestrator-examples exec:java -Dexample.main=dev.orchestrator.examples.spring.SpringBootExample
 * }</pre>
 */
@SpringBootApplication
public class SpringBootExample {
  /** For Spring. */
  public SpringBootExample() {}

  public static void main(String[] args) {
    run(args.length > 0 ? String.join(" ", args) : "tides", System.out);
  }

  /** Starts the application, runs the workflow on {@code topic}, prints to {@code out} and stops; returns the run. */
  public static RunSnapshot run(String topic, PrintStream out) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringBootExample.class)
        .web(WebApplicationType.NONE)
        .properties("spring.config.name=spring-example")
        .run()) {
      Orchestrator orchestrator = context.getBean(Orchestrator.class);
      Workflow post = Workflow.builder("short-post")
          .task("draft", t -> t.title("Draft").instructions("Write a 200-word post on {{topic}}"))
          .task("edit", t -> t.title("Edit").instructions("Tighten this draft:\n{{tasks.draft.output}}")
              .provider("claude").dependsOn("draft"))
          .build();
      RunSnapshot done = orchestrator.submit("examples", post, Map.of("topic", topic)).completion().join();
      out.println("Run " + done.run().id() + ": " + done.status() + " (engine " + orchestrator.engineName()
          + ", store " + orchestrator.store().getClass().getSimpleName() + " on the application's DataSource)");
      for (TaskRecord t : done.tasks()) {
        out.println("== " + t.title() + " [" + t.state() + ", " + t.provider() + "]");
        out.println(t.output());
      }
      out.println("Cost: " + done.cost() + "; budget of project examples: " + orchestrator.costReport("examples")
          .remaining() + " left");
      return done;
    }
  }
}
