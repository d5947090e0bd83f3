package dev.orchestrator.bench;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.AsyncNodeAction;
import org.bsc.langgraph4j.state.AgentState;

/**
 * A {@link Dag} as a LangGraph4j graph and as a LangChain4j agentic workflow, with no-op nodes (no model is called).
 *
 * <p>Neither library takes an arbitrary DAG. LangGraph4j has edges, but a node with several outgoing edges starts
 * them as parallel branches that must all lead to one and the same node; LangChain4j's agentic workflows nest
 * sequences and parallel groups. Both therefore run the graph's {@link Dag#levels() levels} one after the other,
 * each level a parallel group that waits for the whole level before it. That is exactly the chain, the independent
 * tasks and the diamond ({@link Dag#levelsAreExact()}); the layered graph becomes 100 groups of 100 with a barrier
 * between layers instead of 3 parents per task. LangGraph4j needs a barrier node between two parallel levels (a
 * no-op node that is not a task and does not run the task body); LangChain4j's sequence is that barrier.
 *
 * <p>Built once per workload, outside the measured time (as the engine's {@code Workflow} is); each operation
 * invokes the built graph. Not for use outside the benchmarks.
 */
final class AgentGraphs {
  private static final Map<String, Object> NO_UPDATE = Map.of();

  private AgentGraphs() {}

  /**
   * The graph as a compiled LangGraph4j graph over an empty {@link AgentState}: a node per task, whose asynchronous
   * action runs {@code body} as {@code work} says (inline: a completed future; async: a future completed on the
   * pool) and updates nothing. The graph loop runs on the thread that invokes it; parallel branches get no executor
   * of their own, so their actions are started one after the other on that thread and, async, overlap on the pool.
   */
  static CompiledGraph<AgentState> langGraph(Dag dag, NoopWork work, Runnable body) {
    AsyncNodeAction<AgentState> task = state -> work.start(body).thenApply(v -> NO_UPDATE);
    AsyncNodeAction<AgentState> barrier = state -> CompletableFuture.completedFuture(NO_UPDATE);
    try {
      StateGraph<AgentState> graph = new StateGraph<>(AgentState::new);
      for (String id : dag.ids) {
        graph.addNode(id, task);
      }
      int[][] levels = dag.levels();
      List<String> previous = List.of(START);
      int barriers = 0;
      for (int d = 0; d < levels.length; d++) {
        List<String> current = new ArrayList<>(levels[d].length);
        for (int i : levels[d]) {
          current.add(dag.ids[i]);
        }
        if (previous.size() > 1 && current.size() > 1) {
          String join = "join" + d;
          graph.addNode(join, barrier);
          barriers++;
          for (String p : previous) {
            graph.addEdge(p, join);
          }
          previous = List.of(join);
        }
        for (String p : previous) {
          for (String c : current) {
            graph.addEdge(p, c);
          }
        }
        previous = current;
      }
      for (String p : previous) {
        graph.addEdge(p, END);
      }
      // One step per level and barrier; the default limit is 25.
      return graph.compile(CompileConfig.builder().recursionLimit(levels.length + barriers + 10).build());
    } catch (GraphStateException e) {
      throw new IllegalStateException("LangGraph4j refused " + dag + ": " + e.getMessage(), e);
    }
  }

  /** Runs the graph once, on the calling thread, to its end. */
  static Object runLangGraph(CompiledGraph<AgentState> graph) {
    return graph.invoke(NO_UPDATE).orElseThrow(() -> new IllegalStateException("LangGraph4j returned no state"));
  }

  /**
   * The graph as a LangChain4j agentic workflow: a sequence of its levels, a level of one task being a non-AI agent
   * ({@code AgenticServices.agentAction}) and a level of several a parallel agent of them on {@code parallel}. An
   * agent action is synchronous, so async waits on the calling thread for the hop to the pool.
   */
  static UntypedAgent agentic(Dag dag, NoopWork work, Runnable body, Executor parallel) {
    int[][] levels = dag.levels();
    List<Object> steps = new ArrayList<>(levels.length);
    for (int[] level : levels) {
      List<Object> actions = new ArrayList<>(level.length);
      for (int i = 0; i < level.length; i++) {
        actions.add(AgenticServices.agentAction(() -> work.runAndWait(body)));
      }
      steps.add(actions.size() == 1 ? actions.get(0)
          : AgenticServices.parallelBuilder().subAgents(actions).executor(parallel).build());
    }
    if (steps.size() == 1 && steps.get(0) instanceof UntypedAgent only) {
      return only;
    }
    return AgenticServices.sequenceBuilder().subAgents(steps).build();
  }

  /** Runs the workflow once to its end; the calling thread waits. */
  static Object runAgentic(UntypedAgent agent) {
    Object result = agent.invoke(NO_UPDATE);
    return result == null ? Boolean.TRUE : result;
  }
}
