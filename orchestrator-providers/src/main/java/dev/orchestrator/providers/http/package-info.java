/**
 * For plugin authors: the toolkit a provider plugin for an HTTP vendor is built on, the same one the bundled
 * {@code openai}, {@code anthropic} and {@code gemini} providers use.
 *
 * <ul>
 * <li>{@link dev.orchestrator.providers.http.OpenAiVendor},
 *     {@link dev.orchestrator.providers.http.OpenAiCompatibleFactory} and
 *     {@link dev.orchestrator.providers.http.OpenAiCompatibleProvider}: a vendor speaking OpenAI's Chat
 *     Completions API is a vendor description and a one-constructor factory;
 * <li>{@link dev.orchestrator.providers.http.HttpProvider}: the base for any other wire format (the exchange,
 *     streaming, time limit, cancellation, error classification and costing are done; a subclass builds the request
 *     and reads the reply);
 * <li>{@link dev.orchestrator.providers.http.HttpErrors} (status to error kind, {@code Retry-After}, transport
 *     failures), {@link dev.orchestrator.providers.http.SseParser} (server-sent events) and
 *     {@link dev.orchestrator.providers.http.Redactor} (secrets out of messages);
 * <li>{@link dev.orchestrator.providers.http.PriceTable}, {@link dev.orchestrator.providers.http.ModelPrice},
 *     {@link dev.orchestrator.providers.http.Rates} and {@link dev.orchestrator.providers.http.Pricing}: exact
 *     prices in USD per million tokens; {@link dev.orchestrator.providers.http.Estimates} and
 *     {@link dev.orchestrator.providers.http.TokenCounter}: token and cost estimates before a call;
 * <li>{@link dev.orchestrator.providers.http.Settings}: typed, validated reads of a plugin's properties;
 *     {@link dev.orchestrator.providers.http.Json}, {@link dev.orchestrator.providers.http.Prompts} and
 *     {@link dev.orchestrator.providers.http.HealthProbe}: small helpers for bodies, prompts and probes.
 * </ul>
 *
 * {@code docs/plugins.md} walks through writing a plugin with it.
 */
@NullMarked
package dev.orchestrator.providers.http;

import org.jspecify.annotations.NullMarked;
