package dev.orchestrator.notifiers;

import java.time.Instant;

/**
 * A notification was not delivered: the channel failed on every attempt, refused it for good, or the listener
 * dropped it because its queue was full. Reported to {@link NotificationListener.Builder#onDeliveryFailed} and
 * logged; it never affects a run. Contains no secret: the reason shows hosts, never full webhook URLs, tokens or
 * passwords.
 *
 * @param project the project the notification was about
 * @param channel the channel's name in the configuration, such as {@code slack}
 * @param event the rule event name, such as {@code task_failed}
 * @param count how many occurrences the lost notification reported
 * @param attempts how many sends were attempted (0 when it was dropped before sending)
 * @param reason what went wrong, safe to log and show
 * @param at when the listener gave up, by its clock
 */
public record DeliveryFailedEvent(String project, String channel, String event, int count, int attempts,
    String reason, Instant at) {}
