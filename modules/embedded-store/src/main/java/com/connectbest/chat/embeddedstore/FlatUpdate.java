package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.backend.NumericUtils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An update made only of {@code $set}, {@code $unset}, {@code $inc}, {@code $min}, {@code $max} and
 * {@code $setOnInsert} on top-level fields, none of them the id and none named twice: every update on the services'
 * hot paths (seq allocation, counters, read positions, edits, pins), as {@code update} or {@code findAndModify}
 * ({@code OrderedH2Collection}). The library applies any update by deep-cloning the document twice, splitting each
 * field name with a regular expression and building per-operator helpers (with the query, a fifth of a send's
 * allocations); this applies such an update to a top-level copy by replacing values, never changing one in place,
 * with the library's semantics for each operator ({@code FieldUpdates}):
 * <ul>
 *   <li>{@code $set} leaves a field alone when its value equals the new one as the library compares values (numbers
 *   by value, so {@code 5} stays an int after {@code $set: 5L}), and otherwise puts it;</li>
 *   <li>{@code $inc} counts from 0 for a missing or null field, adding as the library adds (its
 *   {@code NumericUtils});</li>
 *   <li>{@code $min} and {@code $max} compare as the library's {@code ValueComparator}, a missing field always taking
 *   the value;</li>
 *   <li>{@code $setOnInsert} does nothing to a document that exists (the caller leaves upserts that insert to the
 *   library).</li>
 * </ul>
 * Anything else returns null from {@link #of} (dotted or positional paths, other operators, a field named twice, a
 * non-numeric increment, list or min/max-key bounds) or false from {@link #applyTo} (an {@code $inc} of a
 * non-numeric field, a {@code $min}/{@code $max} against a list): the caller then leaves the whole update to the
 * library, which applies it or raises the error MongoDB would. {@code FlatUpdateTest} compares both on random
 * documents and updates.
 */
final class FlatUpdate {

  private enum Operator { SET, UNSET, INC, MIN, MAX, SET_ON_INSERT }

  private record Change(Operator operator, String field, Object value) {
  }

  /** A field the document does not have (a stored null is a value). */
  private static final Object MISSING = new Object();

  private final List<Change> changes;

  private FlatUpdate(List<Change> changes) {
    this.changes = changes;
  }

  /** The update as flat changes, or null when the library should apply it. */
  static FlatUpdate of(Document update, String idField) {
    if (idField == null || update.isEmpty()) {
      return null;
    }
    List<Change> changes = new ArrayList<>();
    Set<String> fields = new HashSet<>();
    for (Map.Entry<String, Object> entry : update.entrySet()) {
      Operator operator = operator(entry.getKey());
      if (operator == null || !(entry.getValue() instanceof Document change)) {
        return null;
      }
      for (Map.Entry<String, Object> field : change.entrySet()) {
        String name = field.getKey();
        Object value = field.getValue();
        if (!plainField(name, idField) || !fields.add(name)
            || operator == Operator.INC && !(value instanceof Number)
            || (operator == Operator.MIN || operator == Operator.MAX) && !comparable(value)) {
          return null;
        }
        changes.add(new Change(operator, name, value));
      }
    }
    return new FlatUpdate(changes);
  }

  /** A top-level field other than the id: not empty, no path, no operator. */
  static boolean plainField(String name, String idField) {
    return !name.isEmpty() && name.indexOf('.') < 0 && name.charAt(0) != '$' && !name.equals(idField);
  }

  private static Operator operator(String name) {
    return switch (name) {
      case "$set" -> Operator.SET;
      case "$unset" -> Operator.UNSET;
      case "$inc" -> Operator.INC;
      case "$min" -> Operator.MIN;
      case "$max" -> Operator.MAX;
      case "$setOnInsert" -> Operator.SET_ON_INSERT;
      default -> null;
    };
  }

  /**
   * Values whose order the library's min/max decides the same way as its plain comparison: not lists (compared
   * element-wise in one and as a type in the other) and not the min and max keys (special-cased apart from null).
   */
  private static boolean comparable(Object value) {
    return !(value instanceof Collection<?>) && !(value instanceof MinKey) && !(value instanceof MaxKey);
  }

  /**
   * Applies the changes to {@code document}, a top-level copy of a stored document whose nested values are never
   * changed in place. Returns false, leaving {@code document} half-changed (the caller drops it), when the library
   * must apply the update.
   */
  boolean applyTo(Document document) {
    for (Change change : changes) {
      String field = change.field();
      Object old = document.containsKey(field) ? document.get(field) : MISSING;
      switch (change.operator()) {
        case SET -> {
          if (old == MISSING || !sameValue(change.value(), old)) {
            document.put(field, change.value());
          }
        }
        case UNSET -> document.remove(field);
        case INC -> {
          Number base;
          if (old == MISSING || old == null) {
            base = 0;
          } else if (old instanceof Number number) {
            base = number;
          } else {
            return false;
          }
          document.put(field, NumericUtils.addNumbers(base, (Number) change.value()));
        }
        case MIN, MAX -> {
          if (old != MISSING && !comparable(old)) {
            return false;
          }
          int order = old == MISSING ? 0 : ValueComparator.asc().compare(change.value(), old);
          if (old == MISSING || (change.operator() == Operator.MAX ? order > 0 : order < 0)) {
            document.put(field, change.value());
          }
        }
        case SET_ON_INSERT -> {
          // the document exists: nothing to insert
        }
        default -> throw new IllegalStateException(change.operator().name());
      }
    }
    return true;
  }

  /**
   * Whether two values are equal as the library's updates decide it: null and missing alike, numbers by their double
   * value (a long too large for a double by its own), -0.0 as 0.0, documents key by key in order, lists element by
   * element. The library builds normalized copies to compare; this walks both values instead.
   */
  static boolean sameValue(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || a == MISSING || b == null || b == MISSING) {
      return (a == null || a == MISSING) && (b == null || b == MISSING);
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Objects.equals(normalized(x), normalized(y));
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<? extends Map.Entry<?, ?>> left = x.entrySet().iterator();
      Iterator<? extends Map.Entry<?, ?>> right = y.entrySet().iterator();
      while (left.hasNext()) {
        Map.Entry<?, ?> l = left.next();
        Map.Entry<?, ?> r = right.next();
        if (!l.getKey().equals(r.getKey()) || !sameNested(l.getValue(), r.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Collection<?> x && b instanceof Collection<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> left = x.iterator();
      Iterator<?> right = y.iterator();
      while (left.hasNext()) {
        if (!sameNested(left.next(), right.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Number || b instanceof Number || a instanceof Map<?, ?> || b instanceof Map<?, ?>
        || a instanceof Collection<?> || b instanceof Collection<?>) {
      return false;
    }
    return a.equals(b);
  }

  /** Inside documents and lists the library's normalized copies hold null for missing, so only null equals null. */
  private static boolean sameNested(Object a, Object b) {
    return a == null || b == null ? a == b : sameValue(a, b);
  }

  private static Object normalized(Number number) {
    if (number instanceof Long value && value != (long) value.doubleValue()) {
      return value;
    }
    double value = number.doubleValue();
    return value == -0.0 ? 0.0 : value;
  }
}
