package dev.orchestrator.notifiers.internal;

import dev.orchestrator.spi.PluginConfig;
import dev.orchestrator.spi.PluginContext;
import dev.orchestrator.spi.notifier.Notification;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Sends SMS through Twilio's Messages API shape: one {@code POST {endpoint}/2010-04-01/Accounts/{account_sid}/Messages.json}
 * per recipient, form-encoded {@code To}, {@code From} (or {@code MessagingServiceSid}) and {@code Body}, with
 * HTTP Basic authentication as {@code account_sid:auth_token}. The text is the subject and the link, cut to 1,600
 * characters (Twilio's limit). Any service implementing the same shape works through {@code endpoint}.
 *
 * <p>A notification with an idempotency key sends it in the {@code Idempotency-Key} header as
 * {@code <key>-<recipient number>} (one message per recipient). Twilio itself ignores the header; a proxy or an
 * API of the same shape can drop duplicates by it.
 *
 * <p>Properties: {@code account_sid} (required), {@code auth_token} (required, secret), {@code from} or
 * {@code messaging_service_sid} (one required), {@code to} (required, comma-separated E.164 numbers),
 * {@code endpoint} ({@code https://api.twilio.com}), {@code timeout} (10s). Thread-safe.
 */
public final class TwilioNotifier extends HttpNotifier {
  private static final int MAX_BODY = 1600;

  private final URI messages;
  private final String authorization;
  private final @Nullable String from;
  private final @Nullable String messagingService;
  private final List<String> to;

  public TwilioNotifier(PluginConfig config, PluginContext context) {
    super(config, context);
    String sid = config.require("account_sid").trim();
    if (!sid.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("property 'account_sid' must be letters and digits, such as AC0123...");
    }
    String token = config.require("auth_token");
    URI endpoint = config.get("endpoint") == null ? URI.create("https://api.twilio.com") : url(config, "endpoint");
    String base = endpoint.toString().replaceAll("/+$", "");
    this.messages = URI.create(base + "/2010-04-01/Accounts/" + sid + "/Messages.json");
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((sid + ":" + token).getBytes(StandardCharsets.UTF_8));
    this.from = config.get("from");
    this.messagingService = config.get("messaging_service_sid");
    if ((from == null || from.isBlank()) && (messagingService == null || messagingService.isBlank())) {
      throw new IllegalArgumentException("plugin '" + config.name() + "' (type " + config.type() + ") needs the"
          + " property 'from' (a sender number such as +15551234567) or 'messaging_service_sid'");
    }
    this.to = Props.list(config, "to");
    for (String number : to) {
      if (!number.matches("\\+[1-9][0-9]{6,14}")) {
        throw new IllegalArgumentException("property 'to' must list E.164 phone numbers such as +15551234567"
            + " (was '" + number + "')");
      }
    }
  }

  @Override
  protected List<HttpRequest> requests(Notification n) {
    StringBuilder sms = new StringBuilder(n.subject() + (n.link() != null ? "\n" + n.link() : ""));
    OneTapActions.appendText(sms, n);
    String text = sms.toString();
    if (text.length() > MAX_BODY) {
      text = text.substring(0, MAX_BODY - 1) + "…";
    }
    List<HttpRequest> out = new ArrayList<>();
    for (String number : to) {
      StringJoiner form = new StringJoiner("&");
      form.add("To=" + enc(number));
      if (messagingService != null && !messagingService.isBlank()) {
        form.add("MessagingServiceSid=" + enc(messagingService));
      } else if (from != null) {
        form.add("From=" + enc(from));
      }
      form.add("Body=" + enc(text));
      HttpRequest.Builder b = post(messages, "application/x-www-form-urlencoded; charset=utf-8", form.toString())
          .header("Authorization", authorization).header("Accept", "application/json");
      if (n.idempotencyKey() != null) {
        // One message per recipient: each its own key, or a receiver would drop the second as a duplicate.
        b.header(IDEMPOTENCY_KEY, n.idempotencyKey() + "-" + number);
      }
      out.add(b.build());
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  protected String target() {
    return messages.getScheme() + "://" + messages.getHost() + (messages.getPort() > 0 ? ":" + messages.getPort() : "")
        + "/2010-04-01/Accounts/****/Messages.json";
  }
}
