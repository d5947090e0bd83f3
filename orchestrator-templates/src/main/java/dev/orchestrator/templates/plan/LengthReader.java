package dev.orchestrator.templates.plan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the length of the writing ("target 1500 words", "about 800 words", "a 1,200-word article") out of a
 * request: the first such phrase is the length, if it is 1 to 100000 words.
 */
final class LengthReader {
  private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
  private static final Pattern WORDS = Pattern.compile("\\b(?:(?:with\\s+|and\\s+)?(?:a\\s+)?(?:target(?:ing)?"
      + "(?:\\s+length)?(?:\\s+of)?|aim(?:ing)?\\s+for|length(?:\\s+of)?|keep\\s+it\\s+(?:to|under|around|at)|in|of"
      + "|at\\s+least|at\\s+most|up\\s+to|no\\s+more\\s+than|under)\\s+)?(?:about\\s+|around\\s+|roughly\\s+"
      + "|approximately\\s+|~\\s*)?(\\d{1,3}(?:,\\d{3})+|\\d{1,6})\\s*(?:-\\s*)?words?\\b(?:\\s+long)?", F);

  /**
   * What was read.
   *
   * @param words the length in words, or null when the request gives none (or one out of range)
   * @param phrase the words of the request that gave the length, or null when it gives none
   * @param rest the request without that phrase
   */
  record Length(@Nullable Integer words, @Nullable String phrase, String rest) {}

  private LengthReader() {}

  /** Reads the length from {@code text}; a length out of range is reported to {@code notes} and not set. */
  static Length read(String text, PlanNotes notes) {
    Matcher wm = WORDS.matcher(text);
    if (!wm.find()) {
      return new Length(null, null, text);
    }
    Integer words = Integer.valueOf(wm.group(1).replace(",", ""));
    String phrase = wm.group().strip();
    String rest = ClauseSplitter.without(text, wm);
    if (words < 1 || words > 100_000) {
      notes.notUnderstood("'" + phrase + "': a length must be 1 to 100000 words; no length was set");
      words = null;
    }
    return new Length(words, phrase, rest);
  }
}
