package dev.orchestrator.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.ErrorKind;
import dev.orchestrator.Money;
import dev.orchestrator.OrchestratorException;
import dev.orchestrator.Priority;
import dev.orchestrator.policy.RetryPolicy;
import dev.orchestrator.workflow.ExpectedOutput;
import dev.orchestrator.workflow.TaskSpec;
import dev.orchestrator.workflow.UpstreamContext;
import dev.orchestrator.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a workflow as JSON and reads it back, so a durable store can rebuild a run after a restart. The format is
 * internal (versioned by {@code "v"}); it is not the template format.
 */
public final class WorkflowCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  /**
   * The definitions read last and their workflows (workflows are immutable, so runs of one definition share one):
   * an engine taking over a queue of runs of the same workflow parses it once. Access-ordered, bounded, guarded by
   * itself.
   */
  private static final int SHARED = 32;
  private static final java.util.Map<String, Workflow> shared = new java.util.LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, Workflow> eldest) {
      return size() > SHARED;
    }
  };
  /** Definitions longer than this are parsed every time rather than kept as keys. */
  private static final int SHARED_MAX_CHARS = 64 * 1024;

  private WorkflowCodec() {}

  /**
   * As {@link #read}, but a definition read recently gives the same workflow instance again rather than parsing it
   * anew.
   */
  public static Workflow readShared(String json) {
    if (json.length() > SHARED_MAX_CHARS) {
      return read(json);
    }
    synchronized (shared) {
      Workflow w = shared.get(json);
      if (w != null) {
        return w;
      }
    }
    Workflow w = read(json);
    synchronized (shared) {
      shared.put(json, w);
    }
    return w;
  }

  /** The workflow as JSON text. */
  public static String write(Workflow w) {
    ObjectNode root = JSON.createObjectNode();
    root.put("v", VERSION);
    root.put("name", w.name());
    root.put("description", w.description());
    ObjectNode defaults = root.putObject("defaults");
    w.defaults().forEach(defaults::put);
    if (!w.context().equals(UpstreamContext.parents())) {
      putContext(root, w.context());
    }
    ArrayNode tasks = root.putArray("tasks");
    for (TaskSpec t : w.tasks()) {
      ObjectNode n = tasks.addObject();
      n.put("id", t.id());
      n.put("title", t.title());
      n.put("instructions", t.instructions());
      putText(n, "system", t.system());
      ArrayNode providers = n.putArray("providers");
      t.providers().forEach(providers::add);
      if (t.autoProvider()) {
        n.put("autoProvider", true);
      }
      n.put("taskType", t.taskType());
      n.put("priority", t.priority().name());
      ArrayNode deps = n.putArray("dependsOn");
      t.dependsOn().forEach(deps::add);
      putText(n, "timeout", t.timeout() == null ? null : t.timeout().toString());
      if (t.maxCost() != null) {
        n.putObject("maxCost").put("amount", t.maxCost().amount().toPlainString())
            .put("currency", t.maxCost().currency().getCurrencyCode());
      }
      if (t.maxOutputTokens() != null) {
        n.put("maxOutputTokens", t.maxOutputTokens());
      }
      if (t.expectedOutput() != null) {
        n.putObject("expectedOutput").put("kind", t.expectedOutput().kind().name())
            .put("content", t.expectedOutput().content());
      }
      putText(n, "question", t.question());
      ApprovalCodec.write(n, t.approval());
      if (t.review() != null) {
        ObjectNode rv = n.putObject("review");
        ArrayNode who = rv.putArray("reviewers");
        t.review().reviewers().forEach(who::add);
        rv.put("criteria", t.review().criteria()).put("maxRounds", t.review().maxRounds())
            .put("minScore", t.review().minScore());
      }
      if (t.context() != null) {
        putContext(n, t.context());
      }
      if (!t.collaborators().isEmpty()) {
        ArrayNode who = n.putArray("collaborators");
        t.collaborators().forEach(who::add);
        n.put("maxExchanges", t.maxExchanges());
      }
      if (t.retry() != null) {
        RetryPolicy r = t.retry();
        ObjectNode rn = n.putObject("retry");
        rn.put("maxAttempts", r.maxAttempts()).put("delay", r.delay().toString())
            .put("maxDelay", r.maxDelay().toString()).put("factor", r.factor()).put("jitter", r.jitter())
            .put("failoverAfter", r.failoverAfter());
        putText(rn, "attemptTimeout", r.attemptTimeout() == null ? null : r.attemptTimeout().toString());
        ArrayNode kinds = rn.putArray("retryOn");
        r.retryOn().stream().sorted().forEach(k -> kinds.add(k.name()));
      }
    }
    return root.toString();
  }

  /**
   * Reads a workflow back.
   *
   * @throws OrchestratorException when the text is not a workflow this version wrote
   */
  public static Workflow read(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root.path("v").asInt() != VERSION) {
        throw new OrchestratorException("stored workflow has format version " + root.path("v")
            + ", this engine reads version " + VERSION);
      }
      Workflow.Builder b = Workflow.builder(root.get("name").asText()).description(root.path("description").asText());
      root.path("defaults").fields().forEachRemaining(e -> b.defaultValue(e.getKey(), e.getValue().asText()));
      if (root.hasNonNull("context")) {
        b.context(context(root.get("context")));
      }
      for (JsonNode n : root.get("tasks")) {
        TaskSpec.Builder t = TaskSpec.builder(n.get("id").asText())
            .title(n.get("title").asText()).instructions(n.get("instructions").asText())
            .taskType(n.get("taskType").asText()).priority(Priority.valueOf(n.get("priority").asText()));
        if (n.hasNonNull("system")) {
          t.system(n.get("system").asText());
        }
        String[] providers = new String[n.get("providers").size()];
        for (int i = 0; i < providers.length; i++) {
          providers[i] = n.get("providers").get(i).asText();
        }
        if (providers.length > 0) {
          t.providers(providers);
        }
        if (n.path("autoProvider").asBoolean(false)) {
          t.autoProvider();
        }
        for (JsonNode d : n.get("dependsOn")) {
          t.dependsOn(d.asText());
        }
        if (n.hasNonNull("timeout")) {
          t.timeout(Duration.parse(n.get("timeout").asText()));
        }
        if (n.hasNonNull("maxCost")) {
          t.maxCost(new Money(new BigDecimal(n.get("maxCost").get("amount").asText()),
              Currency.getInstance(n.get("maxCost").get("currency").asText())));
        }
        if (n.hasNonNull("maxOutputTokens")) {
          t.maxOutputTokens(n.get("maxOutputTokens").asInt());
        }
        if (n.hasNonNull("expectedOutput")) {
          JsonNode e = n.get("expectedOutput");
          String content = e.get("content").asText();
          t.expectedOutput(ExpectedOutput.Kind.valueOf(e.get("kind").asText()) == ExpectedOutput.Kind.JSON_SCHEMA
              ? ExpectedOutput.jsonSchema(content) : ExpectedOutput.text(content));
        }
        if (n.hasNonNull("question")) {
          t.question(n.get("question").asText());
        }
        t.approval(ApprovalCodec.read(n));
        if (n.hasNonNull("review")) {
          JsonNode rv = n.get("review");
          java.util.List<String> who = new java.util.ArrayList<>();
          rv.get("reviewers").forEach(x -> who.add(x.asText()));
          t.review(dev.orchestrator.workflow.Review.builder().reviewers(who).criteria(rv.get("criteria").asText())
              .maxRounds(rv.get("maxRounds").asInt()).minScore(rv.get("minScore").asInt()).build());
        }
        if (n.hasNonNull("context")) {
          t.context(context(n.get("context")));
        }
        if (n.hasNonNull("collaborators")) {
          java.util.List<String> who = new java.util.ArrayList<>();
          n.get("collaborators").forEach(x -> who.add(x.asText()));
          t.collaborators(who.toArray(new String[0]));
          if (n.hasNonNull("maxExchanges")) {
            t.maxExchanges(n.get("maxExchanges").asInt());
          }
        }
        if (n.hasNonNull("retry")) {
          JsonNode r = n.get("retry");
          Set<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
          r.get("retryOn").forEach(k -> kinds.add(ErrorKind.valueOf(k.asText())));
          RetryPolicy.Builder retry = RetryPolicy.builder().maxAttempts(r.get("maxAttempts").asInt())
              .backoff(Duration.parse(r.get("delay").asText()), Duration.parse(r.get("maxDelay").asText()))
              .factor(r.get("factor").asDouble()).jitter(r.get("jitter").asDouble()).retryOn(kinds)
              .failoverAfter(r.get("failoverAfter").asInt());
          if (r.hasNonNull("attemptTimeout")) {
            retry.attemptTimeout(Duration.parse(r.get("attemptTimeout").asText()));
          }
          t.retry(retry.build());
        }
        b.task(t.build());
      }
      return b.build();
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      if (e instanceof OrchestratorException oe) {
        throw oe;
      }
      throw new OrchestratorException("stored workflow cannot be read: " + e.getMessage(), e);
    }
  }

  private static void putContext(ObjectNode n, UpstreamContext c) {
    n.putObject("context").put("included", c.included()).put("maxTokens", c.maxTokens());
  }

  private static UpstreamContext context(JsonNode n) {
    return n.get("included").asBoolean() ? UpstreamContext.parents(n.get("maxTokens").asInt())
        : UpstreamContext.none();
  }

  private static void putText(ObjectNode n, String field, @org.jspecify.annotations.Nullable String value) {
    if (value != null) {
      n.put(field, value);
    }
  }
}
