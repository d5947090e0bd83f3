package dev.orchestrator.templates.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Finds names close to a mistyped one, for "did you mean" hints. */
public final class Similarity {
  private Similarity() {}

  /** The closest candidate within a third of the name's length in edits, or null. */
  public static @Nullable String closest(String name, Collection<String> candidates) {
    List<String> all = close(name, candidates, 1);
    return all.isEmpty() ? null : all.get(0);
  }

  /** Up to {@code limit} candidates close to the name, closest first. */
  public static List<String> close(String name, Collection<String> candidates, int limit) {
    String n = name.toLowerCase(Locale.ROOT);
    int budget = Math.max(2, n.length() / 3);
    List<String> scored = new ArrayList<>();
    List<Integer> scores = new ArrayList<>();
    for (String c : candidates) {
      String lc = c.toLowerCase(Locale.ROOT);
      int d = lc.contains(n) || (n.length() > 3 && n.contains(lc)) ? 0 : distance(n, lc, budget);
      if (d <= budget) {
        int i = 0;
        while (i < scores.size() && scores.get(i) <= d) {
          i++;
        }
        scored.add(i, c);
        scores.add(i, d);
      }
    }
    return scored.size() <= limit ? scored : scored.subList(0, limit);
  }

  /**
   * The Levenshtein distance of {@code a} and {@code b}, or {@link Integer#MAX_VALUE} when their lengths alone differ
   * by more than {@code budget} or either is over 200 characters.
   */
  public static int distance(String a, String b, int budget) {
    if (Math.abs(a.length() - b.length()) > budget || a.length() > 200 || b.length() > 200) {
      return Integer.MAX_VALUE;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
