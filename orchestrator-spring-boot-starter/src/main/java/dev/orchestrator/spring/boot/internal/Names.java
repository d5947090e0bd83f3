package dev.orchestrator.spring.boot.internal;

/** Property keys as plugins spell them: {@code max-cost-per-call} becomes {@code maxCostPerCall}. Stateless. */
final class Names {
  private Names() {}

  /**
   * Each dot-separated part in camelCase: {@code price.input} stays, {@code max-cost-per-call} becomes
   * {@code maxCostPerCall}, {@code min_samples} becomes {@code minSamples}; a key already in camelCase stays.
   */
  static String camel(String key) {
    StringBuilder out = new StringBuilder(key.length());
    boolean upper = false;
    boolean partStart = true;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '-' || c == '_') {
        upper = !partStart;
        continue;
      }
      if (c == '.') {
        out.append(c);
        partStart = true;
        upper = false;
        continue;
      }
      out.append(upper ? Character.toUpperCase(c) : partStart ? Character.toLowerCase(c) : c);
      upper = false;
      partStart = false;
    }
    return out.toString();
  }
}
