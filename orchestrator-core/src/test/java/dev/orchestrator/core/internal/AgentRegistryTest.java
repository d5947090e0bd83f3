package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.core.InMemoryStore;
import dev.orchestrator.spi.ChildProcesses;
import dev.orchestrator.spi.provider.CallContext;
import dev.orchestrator.spi.store.AgentProcess;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's record of agent processes: a taker ends what a previous owner left on this host, never a process whose
 * pid was reused, and keeps the records of other hosts; an engine ends its own at exit. Real {@code sleep} processes.
 */
class AgentRegistryTest {
  private final InMemoryStore store = InMemoryStore.create();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
  }

  private Process sleeper() throws IOException {
    Process p = new ProcessBuilder("sleep", "60").start();
    started.add(p);
    return p;
  }

  @Test
  void aTakerEndsThePreviousOwnersAgentsOnThisHostAndForgetsThem() throws Exception {
    Process agent = sleeper();
    AgentRegistry dead = new AgentRegistry(store, "run@here:1:dead00");
    dead.started(CallContext.of("p", "r", "t", 1), agent.toHandle());
    assertThat(store.agentProcesses("p", "r")).hasSize(1);

    new AgentRegistry(store, "worker@here:2:alive0").endOthers("p", "r");

    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.agentProcesses("p", "r")).isEmpty();
  }

  @Test
  void aReusedPidIsNeverHitAndAnotherHostsAgentIsKept() throws Exception {
    Process bystander = sleeper();
    Instant start = bystander.toHandle().info().startInstant().orElseThrow();
    AgentProcess reused = AgentProcess.builder().project("p").runId("r").taskId("t").attempt(1)
        .host(AgentRegistry.host()).pid(bystander.pid()).processStart(start.minusSeconds(3600))
        .owner("run@here:1:dead00").build();
    AgentProcess elsewhere = reused.toBuilder().attempt(2).host(AgentRegistry.host() + "-other").processStart(start)
        .owner("run@there:1:dead00").build();
    store.saveAgentProcess(reused);
    store.saveAgentProcess(elsewhere);

    new AgentRegistry(store, "worker@here:2:alive0").endOthers("p", "r");

    assertThat(bystander.isAlive()).isTrue();
    assertThat(store.agentProcesses("p", "r")).containsExactly(elsewhere);
  }

  @Test
  void anEngineEndsItsOwnAgentsAndTheirChildrenAtExit() throws Exception {
    Process shell = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
    started.add(shell);
    AgentRegistry mine = new AgentRegistry(store, "run@here:1:mine00");
    ChildProcesses.Registration r = mine.started(CallContext.of("p", "r", "t", 1), shell.toHandle());
    List<ProcessHandle> children = awaitChild(shell);

    mine.endOwn(Duration.ofSeconds(5));

    assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle c : children) {
      assertThat(c.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    assertThat(store.agentProcesses("p", "r")).isEmpty();
    r.close(); // the provider's own close after the exit changes nothing
  }

  /** The shell's child, once it has started it (bounded). */
  private static List<ProcessHandle> awaitChild(Process shell) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> c = shell.descendants().toList();
      if (!c.isEmpty()) {
        return c;
      }
      // pace the look by the shell itself: it never ends on its own while its child sleeps
      assertThat(shell.waitFor(20, TimeUnit.MILLISECONDS)).isFalse();
    }
    throw new AssertionError("the shell started no child");
  }
}
