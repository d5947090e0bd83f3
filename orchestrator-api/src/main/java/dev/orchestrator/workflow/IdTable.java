package dev.orchestrator.workflow;

import java.util.List;

/**
 * Task ids to positions in a list of tasks, by open addressing with linear probing. A slot holds a position plus
 * one (0 is free); the id is read from the task itself, so the table costs one {@code int} per slot, with at
 * most half of the slots in use. Not thread-safe while tasks are added; safe to read once published by a final
 * field.
 */
final class IdTable {
  private static final int MIN_CAPACITY = 16;

  private final List<TaskSpec> tasks;
  private int[] slots;
  private int size;

  IdTable(List<TaskSpec> tasks, int expected) {
    this.tasks = tasks;
    this.slots = new int[capacityFor(expected)];
  }

  private IdTable(List<TaskSpec> tasks, int[] slots, int size) {
    this.tasks = tasks;
    this.slots = slots;
    this.size = size;
  }

  private static int capacityFor(int expected) {
    int c = MIN_CAPACITY;
    while (c < expected * 2L) {
      c <<= 1;
    }
    return c;
  }

  private static int hash(String id) {
    int h = id.hashCode();
    return (h ^ (h >>> 16)) * 0x9E3779B9;
  }

  /** The position of the task with this id, or -1. */
  int find(String id) {
    int[] s = slots;
    int mask = s.length - 1;
    for (int i = hash(id) & mask; ; i = (i + 1) & mask) {
      int v = s[i];
      if (v == 0) {
        return -1;
      }
      if (tasks.get(v - 1).id().equals(id)) {
        return v - 1;
      }
    }
  }

  /** Records that the task at {@code position} has {@code id}; the caller has checked that the id is new. */
  void add(String id, int position) {
    if ((size + 1) * 2L > slots.length) {
      int[] old = slots;
      slots = new int[old.length * 2];
      for (int v : old) {
        if (v != 0) {
          insert(tasks.get(v - 1).id(), v);
        }
      }
    }
    insert(id, position + 1);
    size++;
  }

  private void insert(String id, int value) {
    int mask = slots.length - 1;
    int i = hash(id) & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = value;
  }

  /**
   * The same ids over {@code reordered}, where the task at position {@code p} here is at {@code newPosition[p]};
   * no id is hashed again.
   */
  IdTable reorder(List<TaskSpec> reordered, int[] newPosition) {
    int[] copy = slots.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] != 0) {
        copy[i] = newPosition[copy[i] - 1] + 1;
      }
    }
    return new IdTable(reordered, copy, size);
  }
}
