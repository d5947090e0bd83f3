package dev.orchestrator.notifiers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrator.Priority;
import dev.orchestrator.notifiers.NotifiedEvent;
import dev.orchestrator.spi.ConfigValues;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the notification configuration document. Collects every problem instead of stopping at the first, and
 * never quotes the value of a secret-looking property in a problem. Not thread-safe; one instance per document.
 *
 * <p>Shape: {@code {"notifications": {...defaults...}, "projects": {"<name>": {"notifications": {...}}}}}. A
 * project's {@code notifications} object overrides the defaults key by key; under {@code channels} it overrides
 * channel by channel and property by property.
 */
public final class ConfigParser {
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Locales with message bundles. */
  public static final List<String> LANGUAGES = List.of("en", "es", "fr", "de");

  private static final Set<String> TOP_KEYS = Set.of("notifications", "projects");
  private static final Set<String> NOTIFICATION_KEYS = Set.of("email", "slack_webhook", "discord_webhook", "sms",
      "webhook", "channels", "rules", "locale", "dashboard_url", "digest_window");
  private static final Map<String, String> DEFAULT_TYPES = Map.of(
      "email", "email", "slack", "slack", "discord", "discord", "sms", "twilio", "webhook", "webhook");

  private final List<String> problems = new ArrayList<>();

  /** The parsed document. */
  public record Parsed(@Nullable ProjectSettings defaults, Map<String, ProjectSettings> projects) {}

  /** Parses a document, or returns the problems found through {@link #problems()}. */
  public @Nullable Parsed parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      problems.add("the document is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
      return null;
    }
    if (root == null || !root.isObject()) {
      problems.add("the document must be a JSON object such as {\"notifications\": {...}}");
      return null;
    }
    unknownKeys(root, "", TOP_KEYS);
    JsonNode defaultsNode = root.get("notifications");
    if (defaultsNode != null && !defaultsNode.isObject()) {
      problems.add("notifications must be an object (was " + defaultsNode.getNodeType() + ")");
      defaultsNode = null;
    }
    ProjectSettings defaults = defaultsNode == null ? null : settings((ObjectNode) defaultsNode, "notifications");
    Map<String, ProjectSettings> projects = new LinkedHashMap<>();
    JsonNode projectsNode = root.get("projects");
    if (projectsNode != null) {
      if (!projectsNode.isObject()) {
        problems.add("projects must be an object keyed by project name (was " + projectsNode.getNodeType() + ")");
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = projectsNode.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String path = "projects." + e.getKey();
          if (e.getKey().isBlank()) {
            problems.add("projects: a project name must not be blank");
            continue;
          }
          JsonNode p = e.getValue();
          if (!p.isObject()) {
            problems.add(path + " must be an object such as {\"notifications\": {...}}");
            continue;
          }
          unknownKeys(p, path + ".", Set.of("notifications"));
          JsonNode n = p.get("notifications");
          if (n != null && !n.isObject()) {
            problems.add(path + ".notifications must be an object");
            continue;
          }
          ObjectNode merged = merge(defaultsNode == null ? MAPPER.createObjectNode() : (ObjectNode) defaultsNode,
              n == null ? MAPPER.createObjectNode() : (ObjectNode) n);
          ProjectSettings s = settings(merged, path + ".notifications");
          if (s != null) {
            projects.put(e.getKey().trim().toLowerCase(Locale.ROOT), s);
          }
        }
      }
    }
    if (defaultsNode == null && projects.isEmpty() && problems.isEmpty()) {
      problems.add("nothing is configured: add a \"notifications\" object (for every project) or \"projects\"");
    }
    return problems.isEmpty() ? new Parsed(defaults, projects) : null;
  }

  /** Every problem found. */
  public List<String> problems() {
    return problems;
  }

  private static ObjectNode merge(ObjectNode base, ObjectNode override) {
    ObjectNode out = base.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = out.get(e.getKey());
      if (e.getKey().equals("channels") && old != null && old.isObject() && e.getValue().isObject()) {
        ObjectNode channels = (ObjectNode) old;
        for (Iterator<Map.Entry<String, JsonNode>> c = e.getValue().fields(); c.hasNext(); ) {
          Map.Entry<String, JsonNode> ch = c.next();
          JsonNode oldCh = channels.get(ch.getKey());
          if (oldCh != null && oldCh.isObject() && ch.getValue().isObject()) {
            ObjectNode mergedCh = ((ObjectNode) oldCh).deepCopy();
            mergedCh.setAll((ObjectNode) ch.getValue());
            channels.set(ch.getKey(), mergedCh);
          } else {
            channels.set(ch.getKey(), ch.getValue());
          }
        }
      } else {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private @Nullable ProjectSettings settings(ObjectNode n, String path) {
    int before = problems.size();
    unknownKeys(n, path + ".", NOTIFICATION_KEYS);
    Locale locale = locale(n.get("locale"), path + ".locale");
    URI dashboard = dashboard(n.get("dashboard_url"), path + ".dashboard_url");
    Duration window = Duration.ofMinutes(5);
    JsonNode w = n.get("digest_window");
    if (w != null) {
      Duration d = duration(w, path + ".digest_window");
      if (d != null) {
        window = d;
      }
    }
    Map<String, Map<String, String>> props = new LinkedHashMap<>();
    Map<String, RateLimit> limits = new LinkedHashMap<>();
    shorthand(n, "email", "email", "to", true, path, props);
    shorthand(n, "slack_webhook", "slack", "webhook_url", false, path, props);
    shorthand(n, "discord_webhook", "discord", "webhook_url", false, path, props);
    shorthand(n, "sms", "sms", "to", true, path, props);
    shorthand(n, "webhook", "webhook", "webhook_url", false, path, props);
    JsonNode channels = n.get("channels");
    if (channels != null) {
      if (!channels.isObject()) {
        problems.add(path + ".channels must be an object keyed by channel name");
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = channels.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String name = e.getKey().trim().toLowerCase(Locale.ROOT);
          String cpath = path + ".channels." + e.getKey();
          if (!e.getValue().isObject()) {
            problems.add(cpath + " must be an object of properties such as {\"type\": \"email\", \"host\": ...}");
            continue;
          }
          Map<String, String> p = props.computeIfAbsent(name, k -> new LinkedHashMap<>());
          for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext(); ) {
            Map.Entry<String, JsonNode> prop = f.next();
            JsonNode v = prop.getValue();
            if (prop.getKey().equals("rate_limit")) {
              RateLimit rl = rateLimit(v, cpath + ".rate_limit");
              if (rl != null) {
                limits.put(name, rl);
              }
            } else if (v.isValueNode() && !v.isNull()) {
              p.put(prop.getKey(), v.asText());
            } else if (v.isArray()) {
              List<String> items = new ArrayList<>();
              v.forEach(i -> items.add(i.asText()));
              p.put(prop.getKey(), String.join(",", items));
            } else {
              problems.add(cpath + "." + prop.getKey() + " must be a string, number, boolean or list of strings");
            }
          }
        }
      }
    }
    Map<String, ChannelSpec> specs = new LinkedHashMap<>();
    props.forEach((name, p) -> {
      Map<String, String> copy = new LinkedHashMap<>(p);
      String type = copy.remove("type");
      if (type == null) {
        type = DEFAULT_TYPES.get(name);
      }
      if (type == null || type.isBlank()) {
        problems.add(path + ".channels." + name + " needs a \"type\" (email, slack, discord, twilio, webhook, or the"
            + " type of a notifier plugin)");
        return;
      }
      specs.put(name, new ChannelSpec(name, type.trim().toLowerCase(Locale.ROOT), copy,
          limits.getOrDefault(name, RateLimit.DEFAULT)));
    });
    List<Rule> rules = rules(n.get("rules"), path + ".rules", specs.keySet());
    if (problems.size() > before) {
      return null;
    }
    return new ProjectSettings(locale, dashboard, window, rules, specs);
  }

  private void shorthand(ObjectNode n, String key, String channel, String property, boolean listAllowed,
      String path, Map<String, Map<String, String>> props) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return;
    }
    String value;
    if (v.isTextual()) {
      value = v.asText().trim();
    } else if (listAllowed && v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(i -> items.add(i.asText().trim()));
      value = String.join(",", items);
    } else {
      problems.add(path + "." + key + " must be " + (listAllowed ? "a string or a list of strings" : "a string"));
      return;
    }
    if (value.isEmpty()) {
      problems.add(path + "." + key + " must not be empty: remove it or give a value");
      return;
    }
    props.computeIfAbsent(channel, k -> new LinkedHashMap<>()).put(property, value);
  }

  private List<Rule> rules(@Nullable JsonNode node, String path, Set<String> channels) {
    List<Rule> rules = new ArrayList<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isArray()) {
      problems.add(path + " must be a list such as [{\"event\": \"task_failed\", \"notify\": [\"email\"]}]");
      return rules;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode r = node.get(i);
      String rpath = path + "[" + i + "]";
      if (!r.isObject()) {
        problems.add(rpath + " must be an object with event, optional priority, and notify");
        continue;
      }
      unknownKeys(r, rpath + ".", Set.of("event", "priority", "notify"));
      String event = null;
      JsonNode e = r.get("event");
      if (e == null || !e.isTextual() || e.asText().isBlank()) {
        problems.add(rpath + ".event is required: one of " + NotifiedEvent.names() + ", or \"*\" for every event");
      } else if (!e.asText().trim().equals("*")) {
        event = e.asText().trim().toLowerCase(Locale.ROOT);
        if (NotifiedEvent.of(event).isEmpty()) {
          problems.add(rpath + ".event '" + e.asText() + "' is unknown: use one of " + NotifiedEvent.names()
              + ", or \"*\"");
        }
      }
      Set<Priority> priorities = new LinkedHashSet<>();
      JsonNode p = r.get("priority");
      if (p != null && !p.isNull()) {
        List<JsonNode> items = new ArrayList<>();
        if (p.isArray()) {
          p.forEach(items::add);
        } else {
          items.add(p);
        }
        for (JsonNode item : items) {
          try {
            priorities.add(Priority.parse(item.asText()));
          } catch (IllegalArgumentException ex) {
            problems.add(rpath + ".priority: " + ex.getMessage());
          }
        }
      }
      List<String> notify = new ArrayList<>();
      JsonNode nn = r.get("notify");
      if (nn == null || !nn.isArray()) {
        problems.add(rpath + ".notify is required: a list of channel names such as [\"email\", \"slack\"], or []"
            + " to stay silent");
      } else {
        for (int j = 0; j < nn.size(); j++) {
          String c = nn.get(j).asText().trim().toLowerCase(Locale.ROOT);
          if (!channels.contains(c)) {
            problems.add(rpath + ".notify[" + j + "] names channel '" + nn.get(j).asText() + "', which is not"
                + " configured: configure it (" + hint(c) + ") or use one of " + channels);
          } else if (!notify.contains(c)) {
            notify.add(c);
          }
        }
      }
      rules.add(new Rule(event, priorities, notify));
    }
    return rules;
  }

  private static String hint(String channel) {
    switch (channel) {
      case "email":
        return "\"email\": \"you@example.com\" plus channels.email with the SMTP host";
      case "slack":
        return "\"slack_webhook\": \"https://hooks.slack.com/...\"";
      case "discord":
        return "\"discord_webhook\": \"https://discord.com/api/webhooks/...\"";
      case "sms":
        return "\"sms\": \"+15551234567\" plus channels.sms with the account";
      case "webhook":
        return "\"webhook\": \"https://...\" plus channels.webhook.secret";
      default:
        return "channels." + channel + " with a type";
    }
  }

  private Locale locale(@Nullable JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return Locale.ENGLISH;
    }
    Locale l = Locale.forLanguageTag(node.asText().trim().replace('_', '-'));
    if (!LANGUAGES.contains(l.getLanguage())) {
      problems.add(path + " '" + node.asText() + "' has no messages: use one of " + LANGUAGES);
      return Locale.ENGLISH;
    }
    return l;
  }

  private @Nullable URI dashboard(@Nullable JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      URI u = new URI(node.asText().trim());
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        problems.add(path + " must be an http(s) URL such as http://127.0.0.1:7070 (was '" + node.asText() + "')");
        return null;
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      problems.add(path + " is not a URL (was '" + node.asText() + "'): " + e.getReason());
      return null;
    }
  }

  private @Nullable RateLimit rateLimit(JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(path + " must be an object such as {\"messages\": 10, \"per\": \"1m\"}");
      return null;
    }
    unknownKeys(node, path + ".", Set.of("messages", "per"));
    JsonNode m = node.get("messages");
    JsonNode per = node.get("per");
    if (m == null || !m.canConvertToInt() || m.asInt() < 1) {
      problems.add(path + ".messages must be an integer >= 1 (was " + m + ")");
      return null;
    }
    Duration d = per == null ? Duration.ofMinutes(1) : duration(per, path + ".per");
    if (d == null) {
      return null;
    }
    if (d.isZero()) {
      problems.add(path + ".per must be positive (was " + per + ")");
      return null;
    }
    return new RateLimit(m.asInt(), d);
  }

  private @Nullable Duration duration(JsonNode node, String path) {
    try {
      return ConfigValues.parseDuration(path, node.asText());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private void unknownKeys(JsonNode node, String prefix, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        problems.add(prefix + k + " is not a known field: use one of " + new java.util.TreeSet<>(known));
      }
    }
  }
}
