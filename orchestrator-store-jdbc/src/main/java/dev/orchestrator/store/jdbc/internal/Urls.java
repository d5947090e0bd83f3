package dev.orchestrator.store.jdbc.internal;

/** JDBC URLs as they may be shown: without parameters or user info, which can carry passwords. */
public final class Urls {
  private Urls() {}

  /** {@code jdbc:postgresql://db:5432/orch?password=x} becomes {@code jdbc:postgresql://db:5432/orch}. */
  public static String redact(String url) {
    String u = url;
    int cut = indexOfAny(u, '?', ';', '&');
    if (cut >= 0) {
      u = u.substring(0, cut);
    }
    int slashes = u.indexOf("//");
    int at = u.indexOf('@');
    if (slashes >= 0 && at > slashes) {
      u = u.substring(0, slashes + 2) + u.substring(at + 1);
    }
    return u;
  }

  private static int indexOfAny(String s, char... chars) {
    int best = -1;
    for (char c : chars) {
      int i = s.indexOf(c);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best;
  }
}
