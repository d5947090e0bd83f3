package dev.orchestrator.cli.internal;

import dev.orchestrator.templates.internal.Similarity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** "Did you mean" for names people type: projects, templates, instances. Thread-safe. */
final class Names {
  private Names() {}

  /**
   * The candidate closest to {@code name} (ignoring case), within a third of its length in edits (at least two), or
   * null when none is that close. A candidate that contains the name, or is contained in it, is close, and so is
   * one whose start is close to the name.
   */
  static @Nullable String closest(String name, Collection<String> candidates) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.isEmpty() || n.length() > 200) {
      return null;
    }
    int budget = Math.max(2, n.length() / 3);
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    for (String c : new ArrayList<>(candidates)) {
      String lc = c.toLowerCase(Locale.ROOT);
      int d = lc.equals(n) ? 0 : lc.contains(n) || (n.length() > 3 && n.contains(lc)) ? 1 : distance(n, lc);
      if (lc.length() > n.length() && n.length() > 3) {
        // A mistyped start of a longer name: "quantm" for "quantum-self".
        d = Math.min(d, distance(n, lc.substring(0, n.length())) + 1);
      }
      if (d <= budget && d < bestScore) {
        best = c;
        bestScore = d;
      }
    }
    return best;
  }

  /** " (did you mean 'x'?)", or nothing. */
  static String suggestion(String name, Collection<String> candidates) {
    String c = closest(name, candidates);
    return c == null ? "" : Messages.get("names.didYouMean", c);
  }

  /** Levenshtein distance (the template library's, which suggests template names the same way). */
  static int distance(String a, String b) {
    return Similarity.distance(a, b, Integer.MAX_VALUE);
  }

  /** The names as a list for a message, or "none". */
  static String list(List<String> names) {
    return names.isEmpty() ? Messages.get("names.none") : String.join(", ", names.stream().map(Texts::cut).toList());
  }
}
