/**
 * Internal to {@code orchestrator-langchain4j}: no compatibility promise, any class here may change or disappear in
 * any release. Use {@link dev.orchestrator.langchain4j} instead.
 */
@NullMarked
package dev.orchestrator.langchain4j.internal;

import org.jspecify.annotations.NullMarked;
