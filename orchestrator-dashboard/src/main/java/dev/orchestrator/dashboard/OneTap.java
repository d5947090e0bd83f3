package dev.orchestrator.dashboard;

import dev.orchestrator.dashboard.internal.SlackRequests;
import dev.orchestrator.notifiers.ActionLinks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a dashboard needs to serve one-tap links: the {@link ActionLinks} that the notifications' links were made with
 * (the same secret), and optionally Slack's signing secret, so that clicks on the buttons of Slack messages, posted to
 * {@code /slack/actions} by the Slack app's interactivity, are verified with Slack's request signature.
 *
 * <pre>{@code
 * ActionLinks links = ActionLinks.of(secret, URI.create("https://orchestrator.example.com/"), Duration.ofHours(24));
 * DashboardOptions options = DashboardOptions.builder().host("0.0.0.0").accessToken(token)
 *     .oneTap(OneTap.of(links).slackSigningSecret(System.getenv("SLACK_SIGNING_SECRET"))).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the secrets never appear in {@link #toString()}.
 */
public final class OneTap {
  private final ActionLinks links;
  private final byte @Nullable [] slackSigningSecret;
  private final Clock clock;
  private final @Nullable String webPushPublicKey;

  private OneTap(ActionLinks links, byte @Nullable [] slackSigningSecret, Clock clock,
      @Nullable String webPushPublicKey) {
    this.links = links;
    this.slackSigningSecret = slackSigningSecret;
    this.clock = clock;
    this.webPushPublicKey = webPushPublicKey;
  }

  /** Serves the links {@code links} makes; no Slack buttons. */
  public static OneTap of(ActionLinks links) {
    return new OneTap(Objects.requireNonNull(links, "links"), null, Clock.systemUTC(), null);
  }

  /**
   * These settings with Slack's signing secret (the Slack app's "Signing Secret"), which verifies button clicks.
   *
   * @throws IllegalArgumentException when blank
   */
  public OneTap slackSigningSecret(String secret) {
    Objects.requireNonNull(secret, "slackSigningSecret");
    if (secret.isBlank()) {
      throw new IllegalArgumentException("slackSigningSecret must not be blank: copy the Signing Secret from the "
          + "Slack app's Basic Information page");
    }
    return new OneTap(links, secret.getBytes(StandardCharsets.UTF_8), clock, webPushPublicKey);
  }

  /** These settings, reading Slack's five-minute window on {@code clock} (tests give a fixed one). */
  public OneTap clock(Clock clock) {
    return new OneTap(links, slackSigningSecret, Objects.requireNonNull(clock, "clock"), webPushPublicKey);
  }

  /**
   * These settings with the VAPID public key (base64url) of the {@code webpush} channels: the inbox then offers to
   * subscribe this device and shows the subscription to put in the channel's configuration.
   *
   * @throws IllegalArgumentException when it is not base64url
   */
  public OneTap webPushPublicKey(String key) {
    Objects.requireNonNull(key, "webPushPublicKey");
    if (!key.matches("[A-Za-z0-9_-]{80,100}")) {
      throw new IllegalArgumentException("webPushPublicKey must be the base64url public point of the VAPID key pair "
          + "(87 characters, was " + key.length() + ")");
    }
    return new OneTap(links, slackSigningSecret, clock, key);
  }

  /** The VAPID public key browsers subscribe with, or empty when the inbox offers no subscription. */
  public Optional<String> webPushPublicKey() {
    return Optional.ofNullable(webPushPublicKey);
  }

  /** The links it serves. */
  public ActionLinks links() {
    return links;
  }

  /** Whether Slack's button clicks are taken (a signing secret was given). */
  public boolean takesSlack() {
    return slackSigningSecret != null;
  }

  /**
   * Checks a request's Slack signature: {@code v0=} and the hex HMAC-SHA256 of {@code v0:<timestamp>:<body>} under
   * the signing secret, the timestamp within five minutes of this clock's now.
   *
   * @return empty when the request is Slack's, else why not (never the secret or the signature)
   */
  public Optional<String> slackRefusal(@Nullable String timestamp, @Nullable String signature, String body) {
    byte[] secret = slackSigningSecret;
    if (secret == null) {
      return Optional.of("no Slack signing secret is configured");
    }
    return Optional.ofNullable(SlackRequests.refusal(secret, timestamp, signature, body, clock.instant()));
  }

  @Override
  public String toString() {
    return "OneTap[links=" + links + ", slack=" + (slackSigningSecret == null ? "off" : "***") + "]";
  }
}
