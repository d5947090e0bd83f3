/** Projects for application developers: isolated namespaces with their own queue, settings, budgets and history. */
@NullMarked
package dev.orchestrator.project;

import org.jspecify.annotations.NullMarked;
