package dev.orchestrator.dashboard.internal;

import dev.orchestrator.dashboard.DashboardOptions;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may read and who may change. Runs before every request:
 *
 * <ol>
 *   <li>Host check: on a loopback bind the {@code Host} header must name this machine (127.0.0.1, localhost, ::1),
 *       which stops DNS-rebinding pages from reading the API through a name of their own.
 *   <li>Access token, when one is set: {@code Authorization: Bearer <token>}, or a session cookie obtained by
 *       opening any page once with {@code ?token=<token>} (the server answers with the cookie and a redirect to
 *       {@code /}, so the token leaves the address bar and history). Tokens are compared in constant time.
 *   <li>CSRF, on every state-changing request: the {@code X-CSRF-Token} header must equal the session's CSRF token
 *       (read by the page's own script from {@code GET /api/session}, which other origins cannot read), the
 *       {@code Origin}, when sent, must be this server, and {@code Sec-Fetch-Site}, when sent, must be same-origin.
 *       The session cookie is {@code HttpOnly; SameSite=Strict}.
 * </ol>
 *
 * <p>The token and session ids are never logged. Thread-safe: the session table is guarded by its own lock.
 */
final class Security {
  private static final Logger log = LoggerFactory.getLogger(Security.class);
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final int MAX_SESSIONS = 10_000;
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
  private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
  private static final String SESSION_ATTRIBUTE = "dashboard.session";

  /** A browser's or script's session. Immutable. */
  record Session(String id, String csrf, boolean authenticated) {}

  private final DashboardOptions options;
  private final byte @Nullable [] token;
  private final SecureRandom random = new SecureRandom();
  /** Guarded by itself; the eldest session is forgotten past {@link #MAX_SESSIONS}. */
  private final Map<String, Session> sessions = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  Security(DashboardOptions options) {
    this.options = options;
    this.token = options.accessToken().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  boolean tokenRequired() {
    return token != null;
  }

  /** The before-handler: throws {@link ApiException} to refuse, or returns having attached the session. */
  void check(Context ctx) {
    headers(ctx);
    checkHost(ctx);
    if (OneTapRoutes.isPublic(ctx.path())) {
      return; // The signed link (or Slack's signature) is the credential; the other files hold nothing private.
    }
    Session session = session(ctx);
    if (token != null && (session == null || !session.authenticated())) {
      if (matches(bearer(ctx))) {
        session = null; // A script: authenticated by its header on every request; a session only when it asks.
        ctx.attribute("dashboard.bearer", Boolean.TRUE);
      } else if (ctx.method() == HandlerType.GET && ctx.queryParam("token") != null) {
        if (!matches(ctx.queryParam("token"))) {
          refuse(ctx, 401, "the access token in the address is wrong: use the one the application was started with");
        }
        Session s = newSession(ctx, true);
        log.info("Dashboard session opened with the access token (ip={})", ctx.ip());
        ctx.attribute(SESSION_ATTRIBUTE, s);
        ctx.redirect("/");
        throw new Redirected();
      } else {
        refuse(ctx, 401, "this dashboard needs its access token: send 'Authorization: Bearer <token>', or open the "
            + "page once as /?token=<token>");
      }
    }
    if (session == null && wantsSession(ctx)) {
      session = newSession(ctx, token == null || Boolean.TRUE.equals(ctx.attribute("dashboard.bearer")));
    }
    if (session != null) {
      ctx.attribute(SESSION_ATTRIBUTE, session);
    }
    if (!SAFE.contains(ctx.method())) {
      checkCsrf(ctx, session);
    }
  }

  /** The request's session, after {@link #check}; null for a script authenticated by its header alone. */
  @Nullable Session current(Context ctx) {
    return ctx.attribute(SESSION_ATTRIBUTE);
  }

  private static boolean wantsSession(Context ctx) {
    String path = ctx.path();
    return ctx.method() == HandlerType.GET && (path.equals("/") || path.equals("/index.html")
        || path.equals("/api/session"));
  }

  private static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        + "form-action 'self'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }

  private void checkHost(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || host.isBlank()) {
      refuse(ctx, 400, "the request has no Host header: send one");
    }
    if (!options.isLoopback()) {
      return; // Reachable by many names: the access token guards it.
    }
    String name = hostName(host).toLowerCase(Locale.ROOT);
    if (!LOOPBACK_NAMES.contains(name) && !name.equalsIgnoreCase(options.host())) {
      refuse(ctx, 403, "Host '" + truncate(host) + "' is not this machine: the dashboard bound to " + options.host()
          + " answers only to 127.0.0.1, localhost or [::1]");
    }
  }

  private static String hostName(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end > 0 ? host.substring(0, end + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
  }

  private void checkCsrf(Context ctx, @Nullable Session session) {
    String origin = ctx.header("Origin");
    if (origin != null) {
      String expected = "http://" + ctx.header("Host");
      if (!origin.equalsIgnoreCase(expected)) {
        refuse(ctx, 403, "cross-origin request refused: Origin '" + truncate(origin) + "' is not " + expected);
      }
    }
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      refuse(ctx, 403, "cross-site request refused (Sec-Fetch-Site: " + truncate(site) + ")");
    }
    String sent = ctx.header(CSRF_HEADER);
    if (session == null || sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        session.csrf().getBytes(StandardCharsets.UTF_8))) {
      refuse(ctx, 403, "missing or wrong " + CSRF_HEADER + " header: read 'csrf' from GET /api/session (keeping its "
          + "session cookie) and send it with every POST");
    }
  }

  private @Nullable Session session(Context ctx) {
    String id = ctx.cookie(cookieName(ctx));
    if (id == null) {
      return null;
    }
    synchronized (sessions) {
      return sessions.get(id);
    }
  }

  private Session newSession(Context ctx, boolean authenticated) {
    Session s = new Session(randomId(), randomId(), authenticated);
    synchronized (sessions) {
      sessions.put(s.id(), s);
    }
    ctx.header("Set-Cookie", cookieName(ctx) + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict");
    return s;
  }

  /** Cookies ignore ports, so each dashboard on this host names its own. */
  private static String cookieName(Context ctx) {
    return "orchestrator_session_" + ctx.req().getLocalPort();
  }

  private @Nullable String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }

  private boolean matches(@Nullable String presented) {
    return token != null && presented != null
        && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
  }

  private String randomId() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void refuse(Context ctx, int status, String message) {
    log.debug("Request refused (status={}, method={}, path={}, ip={}, reason={})", status, ctx.method(), ctx.path(),
        ctx.ip(), message);
    throw new ApiException(status, message);
  }

  private static String truncate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** Thrown after a redirect has been set: stops the request without an error. */
  static final class Redirected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redirected() {
      super(null, null, false, false);
    }
  }
}
