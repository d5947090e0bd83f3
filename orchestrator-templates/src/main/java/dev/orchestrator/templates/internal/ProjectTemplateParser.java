package dev.orchestrator.templates.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.Money;
import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.templates.InvalidTemplateException;
import dev.orchestrator.templates.ProjectTemplate;
import dev.orchestrator.templates.ProjectTemplate.BudgetLimit;
import dev.orchestrator.templates.ProjectTemplate.Budgets;
import dev.orchestrator.templates.ProjectTemplate.NotificationRule;
import dev.orchestrator.templates.ProjectTemplate.Period;
import dev.orchestrator.templates.ProjectTemplate.Policies;
import dev.orchestrator.templates.ProjectTemplate.Scope;
import dev.orchestrator.templates.SourceKind;
import dev.orchestrator.templates.Template;
import dev.orchestrator.templates.TemplateOrigin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads project templates, reporting every problem at once. */
public final class ProjectTemplateParser {
  static final Set<String> TOP = Set.of("$schema", "id", "name", "description", "providers", "budgets", "policies",
      "notifications", "workflows");
  static final Set<String> BUDGETS = Set.of("time_zone", "alert_thresholds", "limits");
  static final Set<String> LIMIT = Set.of("scope", "provider", "period", "limit");
  static final Set<String> POLICIES = Set.of("retry", "circuit_breaker", "priority_boost_after", "allow_simulator",
      "default_timeout");
  static final Set<String> RETRY = Set.of("max_attempts", "initial_delay", "max_delay");
  static final Set<String> CIRCUIT = Set.of("failure_threshold", "window", "open_for");
  static final Set<String> NOTIFICATION = Set.of("on", "channel", "to");
  /** Event names a rule may name: the API's events, plus those the budget and circuit modules add. */
  public static final Set<String> EVENTS = Set.of("run_submitted", "run_finished", "run_reopened", "task_ready",
      "task_started", "task_succeeded", "task_failed", "task_retry_scheduled", "task_blocked", "task_paused",
      "task_cancelled", "task_skipped", "task_awaiting_review", "task_priority_boosted", "input_requested",
      "budget_threshold_crossed", "circuit_opened");
  static final Set<String> CHANNELS = Set.of("email", "slack", "discord", "sms", "webhook");
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:[A-Za-z_][A-Za-z0-9_]*}");

  private ProjectTemplateParser() {}

  public static ProjectTemplate read(Path file) throws IOException {
    String text = TemplateParser.readFile(file);
    return parse(text, new TemplateOrigin(SourceKind.FILE, "file", file.toString()),
        TemplateParser.idFromFileName(file.getFileName().toString()));
  }

  /** Whether a property name suggests a secret, which a template may only give as an environment reference. */
  static boolean secret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.endsWith("key") || k.endsWith("secret") || k.endsWith("password") || k.endsWith("token")
        || k.contains("credential") || k.contains("webhook");
  }

  public static ProjectTemplate parse(String json, TemplateOrigin origin, @Nullable String idHint) {
    JsonNode root = TemplateParser.tree(json, origin.location());
    if (!root.isObject()) {
      throw new InvalidTemplateException(origin.location(), List.of("a project template must be a JSON object"
          + " with a 'name' (was " + Json.typeOf(root) + ")"));
    }
    List<String> problems = new ArrayList<>();
    Fields top = new Fields("", problems);
    top.known(root, TOP);
    String name = top.text(root, "name");
    if (name == null || name.isBlank()) {
      top.problem("name is missing or blank: name the kind of project, such as \"Content team\"");
    }
    String id = top.text(root, "id");
    if (id == null) {
      id = idHint != null ? idHint : TemplateParser.slug(name == null ? "project" : name);
    }
    if (!Template.ID.matcher(id).matches()) {
      top.problem("id must be lower-case letters, digits, '_' or '-' (was '" + id + "')");
    }
    String description = top.text(root, "description");
    List<PluginConfig> providers = providers(root.get("providers"), problems);
    Set<String> providerNames = new TreeSet<>();
    providers.forEach(p -> providerNames.add(p.name()));
    Budgets budgets = budgets(root.get("budgets"), providerNames, problems);
    Policies policies = policies(root.get("policies"), problems);
    List<NotificationRule> notifications = notifications(root.get("notifications"), problems);
    List<String> workflows = new ArrayList<>();
    for (String w : top.strings(root, "workflows", false)) {
      if (!Template.ID.matcher(w).matches()) {
        top.problem("workflows lists '" + w + "', which is not a template id such as \"blog_post_pipeline\"");
      } else if (workflows.contains(w)) {
        top.problem("workflows lists '" + w + "' twice: list each template once");
      } else {
        workflows.add(w);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidTemplateException(origin.location(), problems);
    }
    return new ProjectTemplate(id, name, description == null ? "" : description, providers,
        budgets == null ? Budgets.none() : budgets, policies == null ? Policies.defaults() : policies,
        notifications, workflows, origin);
  }

  private static List<PluginConfig> providers(@Nullable JsonNode node, List<String> problems) {
    List<PluginConfig> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      problems.add("providers must be an object of instance name -> {\"type\": ..., \"model\": ...} (was "
          + Json.typeOf(node) + ")");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : Fields.entries(node)) {
      String name = e.getKey().trim().toLowerCase(Locale.ROOT);
      Fields f = new Fields("provider '" + e.getKey() + "': ", problems);
      if (!TemplateChecks.PROVIDER.matcher(name).matches()) {
        f.problem("the name must be lower-case letters, digits, '_', '-' or '.', such as \"claude\"");
        continue;
      }
      JsonNode spec = e.getValue();
      if (!spec.isObject()) {
        f.problem("must be an object such as {\"type\": \"anthropic\", \"model\": \"...\"} (was " + Json.typeOf(spec) + ")");
        continue;
      }
      String type = f.text(spec, "type");
      if (type == null || type.isBlank()) {
        f.problem("type is missing: name the provider plugin, such as \"anthropic\", \"openai\", \"gemini\", \"cli\"");
        continue;
      }
      Map<String, String> props = new LinkedHashMap<>();
      boolean ok = true;
      for (Map.Entry<String, JsonNode> p : Fields.entries(spec)) {
        if (p.getKey().equals("type") || p.getKey().startsWith("x-")) {
          continue;
        }
        JsonNode v = p.getValue();
        if (!v.isValueNode() || v.isNull()) {
          f.problem(p.getKey() + " must be a string, number or boolean (was " + Json.typeOf(v) + ")");
          ok = false;
          continue;
        }
        String value = v.asText();
        if (secret(p.getKey()) && !ENV_REF.matcher(value).matches()) {
          // Never echo the value: it may be a real key.
          f.problem(p.getKey() + " looks like a secret: never put one in a template; write an environment"
              + " reference such as \"${env:ANTHROPIC_API_KEY}\"");
          ok = false;
          continue;
        }
        props.put(p.getKey(), value);
      }
      if (ok) {
        out.add(new PluginConfig(name, type.trim(), props));
      }
    }
    return out;
  }

  private static @Nullable Budgets budgets(@Nullable JsonNode node, Set<String> providers, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    Fields f = new Fields("budgets: ", problems);
    if (!node.isObject()) {
      f.problem("must be an object with 'limits' (was " + Json.typeOf(node) + ")");
      return null;
    }
    f.known(node, BUDGETS);
    ZoneId zone = ZoneId.of("UTC");
    String z = f.text(node, "time_zone");
    if (z != null) {
      try {
        zone = ZoneId.of(z);
      } catch (RuntimeException e) {
        f.problem("time_zone must be a zone id such as \"Europe/Berlin\" or \"UTC\" (was '" + z + "')");
      }
    }
    List<Integer> thresholds = List.of(50, 75, 90);
    JsonNode t = node.get("alert_thresholds");
    if (t != null) {
      List<Integer> list = new ArrayList<>();
      if (!t.isArray()) {
        f.problem("alert_thresholds must be an array of percentages such as [50, 75, 90]");
      } else {
        for (JsonNode n : t) {
          if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 100
              || (!list.isEmpty() && n.intValue() <= list.get(list.size() - 1))) {
            f.problem("alert_thresholds must be ascending whole percentages from 1 to 100, such as [50, 75, 90]"
                + " (found " + Json.show(n) + ")");
            break;
          }
          list.add(n.intValue());
        }
      }
      thresholds = list;
    }
    List<BudgetLimit> limits = new ArrayList<>();
    JsonNode l = node.get("limits");
    if (l != null && !l.isArray()) {
      f.problem("limits must be an array such as [{\"scope\": \"project\", \"limit\": \"100.00\"}]");
    } else if (l != null) {
      int i = 0;
      for (JsonNode n : l) {
        Fields lf = new Fields("budgets.limits[" + i++ + "]: ", problems);
        if (!n.isObject()) {
          lf.problem("must be an object with 'scope' and 'limit'");
          continue;
        }
        lf.known(n, LIMIT);
        Scope scope = enumOf(Scope.class, lf.text(n, "scope"), "scope", lf);
        String periodText = lf.text(n, "period");
        Period period = periodText == null ? Period.TOTAL : enumOf(Period.class, periodText, "period", lf);
        String provider = lf.text(n, "provider");
        Money limit = lf.money(n, "limit");
        if (n.get("limit") == null) {
          lf.problem("limit is missing: give the amount, such as \"100.00\"");
        }
        if (provider != null) {
          provider = provider.trim().toLowerCase(Locale.ROOT);
          if (!providers.isEmpty() && !providers.contains(provider)) {
            lf.problem("provider '" + provider + "' is not one of the template's providers " + providers);
          }
        }
        if (scope == null || period == null || limit == null) {
          continue;
        }
        if ((scope == Scope.PROVIDER) != (provider != null)) {
          lf.problem(scope == Scope.PROVIDER ? "a provider limit needs 'provider', such as \"claude\""
              : "only a provider limit names a 'provider': set scope to \"provider\" or drop it");
          continue;
        }
        if (scope == Scope.TASK && period == Period.DAILY) {
          lf.problem("a task limit has no daily period: drop 'period'");
          continue;
        }
        limits.add(new BudgetLimit(scope, provider, period, limit));
      }
    }
    return new Budgets(zone, thresholds, limits);
  }

  private static <E extends Enum<E>> @Nullable E enumOf(Class<E> type, @Nullable String text, String field,
      Fields f) {
    if (text == null) {
      f.problem(field + " is missing: give one of " + names(type));
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text.trim())) {
        return e;
      }
    }
    f.problem(field + " must be one of " + names(type) + " (was '" + text + "')");
    return null;
  }

  private static <E extends Enum<E>> List<String> names(Class<E> type) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    return names;
  }

  private static @Nullable Policies policies(@Nullable JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    Fields f = new Fields("policies: ", problems);
    if (!node.isObject()) {
      f.problem("must be an object (was " + Json.typeOf(node) + ")");
      return null;
    }
    f.known(node, POLICIES);
    Policies d = Policies.defaults();
    int maxAttempts = d.maxAttempts();
    Duration initial = d.initialBackoff();
    Duration max = d.maxBackoff();
    JsonNode retry = node.get("retry");
    if (retry != null) {
      Fields rf = new Fields("policies.retry: ", problems);
      if (!retry.isObject()) {
        rf.problem("must be an object such as {\"max_attempts\": 4, \"initial_delay\": \"1m\"}");
      } else {
        rf.known(retry, RETRY);
        maxAttempts = or(rf.integer(retry, "max_attempts", 1, 100), maxAttempts);
        initial = or(rf.duration(retry, "initial_delay"), initial);
        max = or(rf.duration(retry, "max_delay"), max);
      }
    }
    int threshold = d.circuitFailureThreshold();
    Duration window = d.circuitWindow();
    Duration openFor = d.circuitOpenFor();
    JsonNode cb = node.get("circuit_breaker");
    if (cb != null) {
      Fields cf = new Fields("policies.circuit_breaker: ", problems);
      if (!cb.isObject()) {
        cf.problem("must be an object such as {\"failure_threshold\": 3, \"window\": \"10m\", \"open_for\": \"1h\"}");
      } else {
        cf.known(cb, CIRCUIT);
        threshold = or(cf.integer(cb, "failure_threshold", 1, 1000), threshold);
        window = or(cf.duration(cb, "window"), window);
        openFor = or(cf.duration(cb, "open_for"), openFor);
      }
    }
    Duration boost = or(f.duration(node, "priority_boost_after"), d.priorityBoostAfter());
    boolean simulator = or(f.bool(node, "allow_simulator"), false);
    Duration timeout = f.duration(node, "default_timeout");
    if (max.compareTo(initial) < 0) {
      f.problem("retry.max_delay " + max + " is shorter than retry.initial_delay " + initial
          + ": make it at least as long");
      return null;
    }
    return new Policies(maxAttempts, initial, max, threshold, window, openFor, boost, simulator, timeout);
  }

  private static <T> T or(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static List<NotificationRule> notifications(@Nullable JsonNode node, List<String> problems) {
    List<NotificationRule> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add("notifications must be an array of rules such as [{\"on\": [\"task_failed\"], \"channel\":"
          + " \"email\", \"to\": \"ops@example.com\"}]");
      return out;
    }
    int i = 0;
    for (JsonNode n : node) {
      Fields f = new Fields("notifications[" + i++ + "]: ", problems);
      if (!n.isObject()) {
        f.problem("must be an object with 'on', 'channel' and 'to'");
        continue;
      }
      f.known(n, NOTIFICATION);
      List<String> events = new ArrayList<>();
      boolean ok = true;
      for (String e : f.strings(n, "on", true)) {
        String ev = e.trim().toLowerCase(Locale.ROOT);
        if (!EVENTS.contains(ev)) {
          String hint = Similarity.closest(ev, EVENTS);
          f.problem("on names the unknown event '" + e + "': " + (hint != null ? "did you mean '" + hint + "'? " : "")
              + "events are " + new TreeSet<>(EVENTS));
          ok = false;
        } else {
          events.add(ev);
        }
      }
      if (events.isEmpty() && ok) {
        f.problem("on is missing: name the events, such as [\"task_failed\", \"budget_threshold_crossed\"]");
        ok = false;
      }
      String channel = f.text(n, "channel");
      if (channel == null || !CHANNELS.contains(channel.trim().toLowerCase(Locale.ROOT))) {
        f.problem("channel must be one of " + new TreeSet<>(CHANNELS) + " (was " + (channel == null ? "missing"
            : "'" + channel + "'") + ")");
        ok = false;
      }
      String to = f.text(n, "to");
      if (to == null || to.isBlank()) {
        f.problem("to is missing: give an address, a phone number or an environment reference");
        ok = false;
      } else if (channel != null) {
        String c = channel.trim().toLowerCase(Locale.ROOT);
        boolean env = ENV_REF.matcher(to.trim()).matches();
        if ((c.equals("slack") || c.equals("discord") || c.equals("webhook")) && !env) {
          f.problem("to of a " + c + " rule is a secret URL: write an environment reference such as"
              + " \"${env:SLACK_WEBHOOK_URL}\" instead of the URL");
          ok = false;
        } else if (c.equals("email") && !env && !to.matches("[^@\\s]+@[^@\\s]+")) {
          f.problem("to of an email rule must be an address such as ops@example.com (was '" + to + "')");
          ok = false;
        } else if (c.equals("sms") && !env && !to.matches("\\+[0-9]{6,15}")) {
          f.problem("to of an sms rule must be a phone number such as +15551234567 (was '" + to + "')");
          ok = false;
        }
      }
      if (ok) {
        out.add(new NotificationRule(events, channel.trim().toLowerCase(Locale.ROOT), to.trim()));
      }
    }
    return out;
  }
}
