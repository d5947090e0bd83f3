package dev.orchestrator.learn;

/**
 * Chooses which provider instance runs a task, and in which order the other candidates are tried when it fails,
 * from what each candidate achieved on the task's type. The engine asks it at dispatch time for tasks that opt in
 * ({@code "assigned_to": "auto"} or a list of candidates); the built-in {@code as-assigned} strategy keeps the
 * workflow's order. Created by a {@link LearningStrategyFactory}.
 *
 * <p>Contract (checked by {@code LearningStrategyContract} in {@code orchestrator-testkit}): the choice names only
 * candidates of the assignment, each at most once; with no statistics at all it still chooses; with the same
 * assignment and the same seed it chooses the same; it never blocks and never calls a provider. A strategy may
 * leave candidates out of the failover list (a demoted one, say), but never the chosen one.
 *
 * <pre>{@code
 * final class FirstCheapest implements LearningStrategy {
 *   public Choice choose(Assignment a) {
 *     List<String> byCost = new ArrayList<>(a.candidates());
 *     byCost.sort(Comparator.comparing(c -> a.stats(c).cost()));
 *     return Choice.of(byCost, "cheapest first");
 *   }
 * }
 * }</pre>
 *
 * <p>Implementations are called from the engine's dispatch threads and must be thread-safe; a strategy that draws
 * random numbers guards its generator.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LearningStrategy {
  /**
   * Chooses the provider for one task and orders its failover candidates.
   *
   * @param assignment the task, its candidates, the statistics and the remaining budget
   * @return the choice, naming only candidates of the assignment, with the reason in words
   */
  Choice choose(Assignment assignment);
}
