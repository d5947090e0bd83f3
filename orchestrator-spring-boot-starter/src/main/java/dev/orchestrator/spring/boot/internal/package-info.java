/**
 * For us: how the starter reads its properties and assembles the orchestrator. No compatibility promise: anything
 * here may change in any release.
 */
@NullMarked
package dev.orchestrator.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
