package dev.orchestrator.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestrator.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowPlanTest {
  /** a and b first; c waits for b then a; d for c; e for a; f, on another provider, for nothing. */
  private static Workflow workflow() {
    return Workflow.builder("w")
        .task("a", t -> t.instructions("a"))
        .task("b", t -> t.instructions("b"))
        .task("c", t -> t.instructions("c").dependsOn("b", "a"))
        .task("d", t -> t.instructions("d").dependsOn("c"))
        .task("e", t -> t.instructions("e").dependsOn("a"))
        .task("f", t -> t.instructions("f").provider("other"))
        .build();
  }

  private static List<String> dependencies(Workflow w, String id) {
    int i = w.indexOf(id);
    List<String> out = new ArrayList<>();
    for (int k = 0; k < w.dependencyCount(i); k++) {
      out.add(w.tasks().get(w.dependency(i, k)).id());
    }
    return out;
  }

  private static List<String> dependents(Workflow w, WorkflowPlan plan, String id) {
    int i = w.indexOf(id);
    List<String> out = new ArrayList<>();
    for (int k = 0; k < plan.dependentCount(i); k++) {
      out.add(w.tasks().get(plan.dependent(i, k)).id());
    }
    return out;
  }

  @Test
  void dependenciesKeepTheirOrderAndDependantsFollowTheWorkflowsOrder() {
    Workflow w = workflow();
    WorkflowPlan plan = WorkflowPlan.of(w);
    assertThat(dependencies(w, "a")).isEmpty();
    assertThat(dependencies(w, "c")).containsExactly("b", "a");
    assertThat(dependencies(w, "d")).containsExactly("c");
    assertThat(dependents(w, plan, "a")).containsExactlyInAnyOrder("c", "e")
        .isSortedAccordingTo(java.util.Comparator.comparingInt(w::indexOf));
    assertThat(dependents(w, plan, "b")).containsExactly("c");
    assertThat(dependents(w, plan, "d")).isEmpty();
    assertThat(dependents(w, plan, "f")).isEmpty();
  }

  @Test
  void tasksNamingTheSameProvidersShareAGroup() {
    Workflow w = workflow();
    WorkflowPlan plan = WorkflowPlan.of(w);
    assertThat(plan.groups()).isEqualTo(2);
    assertThat(plan.group(w.indexOf("e"))).isEqualTo(plan.group(w.indexOf("a")));
    assertThat(plan.group(w.indexOf("f"))).isNotEqualTo(plan.group(w.indexOf("a")));
    assertThat(plan.firstOf(plan.group(w.indexOf("f")))).isEqualTo(w.indexOf("f"));
  }

  @Test
  void oneWorkflowHasOnePlanAndItsDefinitionIsWrittenOnce() {
    Workflow w = workflow();
    WorkflowPlan plan = WorkflowPlan.of(w);
    assertThat(WorkflowPlan.of(w)).isSameAs(plan);
    assertThat(WorkflowPlan.of(workflow())).isNotSameAs(plan);
    assertThat(plan.definition(w)).isSameAs(plan.definition(w)).isEqualTo(WorkflowCodec.write(w));
  }
}
