package dev.orchestrator.templates.plan;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the provider a clause names ("have X do Y", "X: Y", "X does Y", "do Y with X") and resolves the word to a
 * configured instance: an instance of that name, or for an alias the first configured instance of its type
 * (ChatGPT, GPT, OpenAI: {@code openai}; Claude, Anthropic, Sonnet, Opus: {@code anthropic}; Gemini, Google:
 * {@code gemini}); a word that names none gets a problem that says why and what to do.
 */
final class ProviderResolver {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final String PROVIDER_WORD = "(chat\\s?gpt|open\\s?ai|[\\p{L}\\p{N}][\\p{L}\\p{N}_.\\-]*)";
  private static final Pattern OPENAI = Pattern.compile("chat\\s?gpt|chat-gpt|gpt(-?\\d[\\w.\\-]*)?|open\\s?ai"
      + "|o\\d(-mini)?", F);
  private static final Pattern ANTHROPIC = Pattern.compile("claude(-[\\w.\\-]+)?|anthropic|sonnet|opus", F);
  private static final Pattern GEMINI = Pattern.compile("gemini(-[\\w.\\-]+)?|google|bard", F);
  private static final Pattern NOT_A_PROVIDER = Pattern.compile("the|a|an|it|them|this|that|someone|somebody"
      + "|people|me|us|you|everyone", F);
  private static final Pattern HAVE = Pattern.compile("^(?:have|let|get|ask|use|tell|make)\\s+" + PROVIDER_WORD
      + "\\s+(?:to\\s+)?(.+)$", F);
  private static final Pattern LEAD = Pattern.compile("^" + PROVIDER_WORD
      + ":?\\s+(?:should\\s+|will\\s+|can\\s+|must\\s+|to\\s+)?(.+)$", F);
  private static final Pattern TRAIL = Pattern.compile("^(.+?)\\s+(?:with|using|by|via|on|in)\\s+" + PROVIDER_WORD
      + "$", F);

  /** A provider word and the instance it names, or why it names none (exactly one of the two is set). */
  record Resolution(@Nullable String instance, @Nullable String problem) {}

  /** A clause that names a provider: the provider word, what the clause asks of it, and whom the word names. */
  record Assignment(String word, String action, Resolution resolution) {}

  private final PlanningContext context;

  ProviderResolver(PlanningContext context) {
    this.context = context;
  }

  /**
   * The provider {@code clause} names and what it asks of it, or null when it names none. After "have", "let",
   * "ask" and the like any word but a pronoun is a provider (unknown ones resolve to a problem); at the start or
   * end of a clause only a configured instance or a known alias is.
   */
  @Nullable Assignment find(String clause) {
    Matcher m;
    if ((m = HAVE.matcher(clause)).matches() && !NOT_A_PROVIDER.matcher(m.group(1)).matches()) {
      return new Assignment(m.group(1), m.group(2), resolve(m.group(1)));
    }
    if ((m = LEAD.matcher(clause)).matches() && known(m.group(1))) {
      return new Assignment(m.group(1), m.group(2), resolve(m.group(1)));
    }
    if ((m = TRAIL.matcher(clause)).matches() && known(m.group(2))) {
      return new Assignment(m.group(2), m.group(1), resolve(m.group(2)));
    }
    return null;
  }

  /** The instance {@code word} names, or why it names none. */
  Resolution resolve(String word) {
    String n = normalise(word);
    if (context.typeOf(n) != null) {
      return new Resolution(n, null);
    }
    String type = aliasType(word);
    if (type != null) {
      String first = context.firstOfType(type);
      if (first != null) {
        return new Resolution(first, null);
      }
      return new Resolution(null, "'" + word + "' means a provider of type " + type + ", and none is configured"
          + " (configured: " + String.join(", ", context.providers().keySet()) + "): add one, or name another");
    }
    return new Resolution(null, "'" + word + "' is not a configured provider instance (configured: "
        + String.join(", ", context.providers().keySet()) + "): add it to the configuration, or name another");
  }

  private boolean known(String word) {
    return context.typeOf(normalise(word)) != null || aliasType(word) != null;
  }

  private static String normalise(String word) {
    return word.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
  }

  private static @Nullable String aliasType(String word) {
    String w = word.strip();
    if (OPENAI.matcher(w).matches()) {
      return "openai";
    }
    if (ANTHROPIC.matcher(w).matches()) {
      return "anthropic";
    }
    if (GEMINI.matcher(w).matches()) {
      return "gemini";
    }
    return null;
  }
}
