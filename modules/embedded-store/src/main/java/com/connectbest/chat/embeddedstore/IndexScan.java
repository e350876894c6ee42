package com.connectbest.chat.embeddedstore;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Chooses how a query reads a collection: one or more contiguous runs of an {@link OrderedIndex}, or (when no index
 * helps) the whole collection. A run is bounded by the query's equality conditions on the index's leading keys,
 * then by a range ({@code $gt/$gte/$lt/$lte}) on the next key. When the sort asks for the index's own order after
 * those keys (the position, {@code _id}, counts as the last key), the run is read in that order, forwards or
 * backwards, and the read stops as soon as skip + limit documents have matched.
 *
 * <p>The cost of a plan is known before it runs: H2's B-tree counts the entries between two keys in O(log n). The
 * cheapest plan wins; a sorted plan with a limit is expected to stop early.
 *
 * <p>A run is always a superset of the matching documents (other conditions are ignored here), and every document
 * read is still matched against the whole query, so a plan can cost too much but never answer wrongly.
 */
final class IndexScan {

  /** Above this many equality combinations ({@code $in} × {@code $in}) a plan is not worth enumerating. */
  private static final int MAX_RUNS = 1_000;
  /** How selective a condition that an index run does not enforce is assumed to be (one in this many). */
  private static final int EARLY_STOP_FACTOR = 8;

  record Run(Object[] from, Object[] to) {
  }

  /**
   * A chosen plan: runs of one index, read in order (reverse = descending) when {@code sorted}; {@code ordered} when
   * the query asked for an order (without one, several runs are read one after the other, not merged).
   */
  record Plan(OrderedIndex index, List<Run> runs, boolean reverse, boolean sorted, boolean ordered, long entries,
              long cost, Set<String> enforced, int prefixLength) {

    /**
     * The query without the top-level conditions this plan's runs already enforce, for the matcher: re-checking
     * {@code user_id = X} on every document an index run on {@code user_id = X} returned is work for nothing (the
     * library's matcher builds streams per value; a sixth of the store's time on the channel list).
     */
    Document residual(Document query) {
      if (enforced.isEmpty()) {
        return query;
      }
      Document rest = new Document();
      query.forEach((field, value) -> {
        if (!enforced.contains(field)) {
          rest.put(field, value);
        }
      });
      return rest;
    }

    /** Whether every run is one value of a unique index's whole key (at most one entry each; not counted). */
    boolean pointLookups() {
      return index.isUnique() && prefixLength == index.getKeys().size();
    }

    /** The positions of the documents to read, lazily: a limited read stops the scan. */
    Stream<Object> positions() {
      if (sorted && ordered && runs.size() > 1) {
        // Runs of an $in, each in the wanted order after its prefix: merged, so a limited read still stops early
        // (a search over a user's channels, newest first, reads about its page instead of every message there).
        // Without a wanted order the merge's comparisons are for nothing (ids looked up by $in: 3 % of a channel list).
        return distinct(stream(merged()).map(OrderedIndex::positionOf));
      }
      // flatMap is lazy (JDK 10+), so a limited read of a single run still stops the scan early.
      Stream<Object> positions = runs.stream()
          .flatMap(run -> stream(index.scan(run.from(), run.to(), reverse)))
          .map(OrderedIndex::positionOf);
      return index.multikey() || runs.size() > 1 ? distinct(positions) : positions;
    }

    /** The runs' entries in one order: by the key parts after the runs' prefix, then the position. */
    private Iterator<Object[]> merged() {
      Comparator<Object[]> order = (a, b) -> {
        for (int i = prefixLength; i < a.length; i++) {
          int cmp = IndexKeyType.compareValues(a[i], b[i]);
          if (cmp != 0) {
            return reverse ? -cmp : cmp;
          }
        }
        return 0;
      };
      PriorityQueue<Map.Entry<Object[], Iterator<Object[]>>> heads =
          new PriorityQueue<>((x, y) -> order.compare(x.getKey(), y.getKey()));
      for (Run run : runs) {
        Iterator<Object[]> entries = index.scan(run.from(), run.to(), reverse);
        if (entries.hasNext()) {
          heads.add(Map.entry(entries.next(), entries));
        }
      }
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return !heads.isEmpty();
        }

        @Override
        public Object[] next() {
          Map.Entry<Object[], Iterator<Object[]>> head = heads.poll();
          if (head == null) {
            throw new java.util.NoSuchElementException();
          }
          if (head.getValue().hasNext()) {
            heads.add(Map.entry(head.getValue().next(), head.getValue()));
          }
          return head.getKey();
        }
      };
    }

    private static Stream<Object> distinct(Stream<Object> positions) {
      Set<Object> seen = new HashSet<>();
      return positions.filter(seen::add);
    }

    private static Stream<Object[]> stream(Iterator<Object[]> keys) {
      return StreamSupport.stream(Spliterators.spliteratorUnknownSize(keys, Spliterator.ORDERED), false);
    }
  }

  private IndexScan() {
  }

  /**
   * The cheapest index plan for the query, or null when reading the whole collection ({@code documents} of them)
   * is cheaper.
   */
  static Plan choose(Collection<OrderedIndex> all, Document query, Document orderBy, int skip, int limit,
                     String idField, long documents) {
    Collection<OrderedIndex> indexes = readable(all, query);
    Map<String, Condition> conditions = conditions(query);
    Selectivity selectivity = new Selectivity(indexes, conditions, fields(query), documents);
    List<IndexKey> sort = sortKeys(orderBy);
    List<OrderedIndex> candidates = new ArrayList<>();
    Plan only = null;
    for (OrderedIndex index : indexes) {
      Plan plan = plan(index, conditions, selectivity, sort, skip, limit, idField, false);
      if (plan != null && plan.pointLookups()) {
        // Every key of a unique index is given: at most one document per value, so nothing can be much cheaper
        // (whatever sort is left is of those few), and the other indexes need not be counted. Not weighed against a
        // scan either: its cost is an upper bound (ten ids looked up in a collection of three are not a scan of
        // three, and are what a hot path asks for as its collection starts empty).
        return plan;
      }
      if (plan != null) {
        candidates.add(index);
        only = plan;
      }
    }
    if (candidates.size() == 1 && only.prefixLength() > 0) {
      // The only index that bounds the read, by equalities: its runs hold only documents the query may match, so
      // reading them costs at most a scan, and counting them (two B-tree searches per run: a hundred for a history
      // page's reactions, 50 message ids) would decide nothing.
      return only;
    }
    Plan best = null;
    for (OrderedIndex index : candidates) {
      Plan plan = plan(index, conditions, selectivity, sort, skip, limit, idField, true);
      if (plan != null && (best == null || weight(plan, sort) < weight(best, sort)
          || weight(plan, sort) == weight(best, sort) && plan.entries() < best.entries())) {
        best = plan;
      }
    }
    return best != null && best.cost() <= documents ? best : null;
  }

  /**
   * The indexes the query may read: all of them (no copy, as for every query of a collection without partial
   * indexes) unless a partial index's filter is not implied by the query; such an index holds only some of the
   * documents the query may match, so it is neither read nor counted.
   */
  private static Collection<OrderedIndex> readable(Collection<OrderedIndex> all, Document query) {
    for (OrderedIndex index : all) {
      if (!index.covers(query)) {
        return all.stream().filter(candidate -> candidate.covers(query)).toList();
      }
    }
    return all;
  }

  /**
   * A plan's cost with the sort it leaves to do: a plan that does not read in the wanted order must sort what it
   * matched afterwards, which costs about as much again (n log n comparisons of documents). Without it, two indexes
   * with the same prefix tie, and the first one declared could win while the other would have given the order: a
   * channel's 5,000 members were read through {channel_id, user_id} and sorted by {@code joined_at} in memory
   * instead of read in order from {channel_id, joined_at} (benchmark 7: 8 % of the CPU in that sort).
   */
  private static long weight(Plan plan, List<IndexKey> sort) {
    return sort.isEmpty() || plan.sorted() ? plan.cost() : plan.cost() + plan.entries();
  }

  /** With {@code count} false, the runs without their entries counted: a run each, and cost as entries. */
  private static Plan plan(OrderedIndex index, Map<String, Condition> conditions, Selectivity selectivity,
                           List<IndexKey> sort, int skip, int limit, String idField, boolean count) {
    List<IndexKey> keys = index.getKeys();
    Condition first = conditions.get(keys.get(0).getKey());
    if (index.sparse() && (first == null || first.matchesNull())) {
      return null; // documents without the keys are not in a sparse index
    }
    List<List<Object>> prefixes = new ArrayList<>();
    prefixes.add(List.of());
    Set<String> constant = new HashSet<>();
    int bound = 0;
    while (bound < keys.size()) {
      Condition condition = conditions.get(keys.get(bound).getKey());
      if (condition == null || condition.equals == null
          || (long) prefixes.size() * condition.equals.size() > MAX_RUNS) {
        break;
      }
      List<List<Object>> longer = new ArrayList<>();
      for (List<Object> prefix : prefixes) {
        for (Object value : condition.equals) {
          List<Object> next = new ArrayList<>(prefix);
          next.add(value);
          longer.add(next);
        }
      }
      prefixes = longer;
      if (condition.equals.size() == 1) {
        constant.add(keys.get(bound).getKey());
      }
      bound++;
    }
    Condition range = bound < keys.size() ? conditions.get(keys.get(bound).getKey()) : null;
    if (range != null && !range.hasRange()) {
      range = null;
    }
    // Several runs (an $in) are merged in order by the key parts after their prefix (Plan.merged).
    Direction order = index.multikey() ? null : order(keys, bound, sort, constant, idField);
    if (bound == 0 && range == null && (order == null || limit <= 0 || sort.isEmpty())) {
      return null; // nothing bounds the read and nothing is gained by its order
    }
    List<Run> runs = new ArrayList<>(prefixes.size());
    long entries = 0;
    // A unique index with every key given holds at most one entry per run: counting it would cost two B-tree
    // searches per value (a fifth of a channel list's planning, whose queries are mostly of this kind).
    boolean pointLookups = index.isUnique() && bound == keys.size();
    for (List<Object> prefix : prefixes) {
      Run run = run(keys.size() + 1, prefix, range);
      runs.add(run);
      entries += pointLookups || !count ? 1 : index.count(run.from(), run.to());
    }
    boolean sorted = order != null;
    long cost = sorted && limit > 0 && count
        ? Math.min(entries, selectivity.earlyStop(skip + limit, keys.subList(0, bound + (range != null ? 1 : 0))))
        : entries;
    Set<String> enforced = new HashSet<>();
    for (int k = 0; k < bound && !index.multikey(); k++) {
      String field = keys.get(k).getKey();
      if (conditions.get(field).exact()) {
        enforced.add(field);
      }
    }
    return new Plan(index, runs, order == Direction.DESCENDING, sorted, !sort.isEmpty(), entries, cost, enforced,
        bound);
  }

  /**
   * What a sorted read with early stop is expected to cost. Each condition of the query that the read's runs do not
   * enforce lets only some entries through: for an equality or {@code $in} on the leading key of some index, the
   * share that index counts (O(log n) per value); for any other condition (a pattern, {@code $ne}, an unindexed
   * field), one in {@value #EARLY_STOP_FACTOR}. A fixed guess for every condition made a search over a user's
   * channels ({@code channel_id $in}, a pattern) read the whole collection newest first once the user's channels held
   * more than about a thousand messages: those are a thousandth of a large store, not an eighth.
   */
  private static final class Selectivity {

    private final Collection<OrderedIndex> indexes;
    private final Map<String, Condition> conditions;
    private final Set<String> fields;
    private final long documents;
    /** Entries matching one field's condition alone, counted when a sorted plan first needs them (most plans don't). */
    private final Map<String, Long> matching = new java.util.HashMap<>();

    Selectivity(Collection<OrderedIndex> indexes, Map<String, Condition> conditions, Set<String> fields,
                long documents) {
      this.indexes = indexes;
      this.conditions = conditions;
      this.fields = fields;
      this.documents = documents;
    }

    long earlyStop(int wanted, List<IndexKey> enforced) {
      double expected = (double) wanted * EARLY_STOP_FACTOR;
      for (String field : fields) {
        if (enforced.stream().anyMatch(key -> key.getKey().equals(field))) {
          continue;
        }
        Long matches = matching.computeIfAbsent(field, this::count);
        if (matches < 0) {
          expected *= EARLY_STOP_FACTOR;
        } else if (matches == 0) {
          return Long.MAX_VALUE; // nothing matches: a sorted read would look at every entry
        } else {
          expected *= Math.max(1.0, (double) documents / matches);
        }
      }
      return expected >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) expected;
    }

    /**
     * How many entries match the field's equality or {@code $in} condition alone, counted in the first
     * (single-valued) index it leads; -1 when there is no such condition or index.
     */
    private long count(String field) {
      Condition condition = conditions.get(field);
      if (condition == null || condition.equals == null || condition.equals.size() > MAX_RUNS) {
        return -1;
      }
      for (OrderedIndex index : indexes) {
        if (!index.getKeys().get(0).getKey().equals(field) || index.multikey()
            || (index.sparse() && condition.matchesNull())) {
          continue;
        }
        long entries = 0;
        for (Object value : condition.equals) {
          Run run = run(index.getKeys().size() + 1, Collections.singletonList(value), null);
          entries += index.count(run.from(), run.to());
        }
        return entries;
      }
      return -1;
    }
  }

  /** Every field the query constrains, at its top level or in {@code $and} clauses, whether an index can help or not. */
  private static Set<String> fields(Document query) {
    Set<String> fields = new java.util.LinkedHashSet<>();
    query.forEach((field, value) -> {
      if (field.equals("$and") && value instanceof Collection<?> clauses) {
        clauses.forEach(clause -> {
          if (clause instanceof Document document) {
            fields.addAll(fields(document));
          }
        });
      } else if (!field.startsWith("$")) {
        fields.add(field);
      }
    });
    return fields;
  }

  private static Run run(int width, List<Object> prefix, Condition range) {
    Object[] from = new Object[width];
    Object[] to = new Object[width];
    int i = prefix.size();
    for (int k = 0; k < i; k++) {
      from[k] = prefix.get(k);
      to[k] = prefix.get(k);
    }
    if (range != null && range.lower != null) {
      from[i] = range.lower;
      fillFrom(from, i + 1, range.lowerInclusive ? IndexKeyType.LOW : IndexKeyType.HIGH);
    } else {
      fillFrom(from, i, IndexKeyType.LOW);
    }
    if (range != null && range.upper != null) {
      to[i] = range.upper;
      fillFrom(to, i + 1, range.upperInclusive ? IndexKeyType.HIGH : IndexKeyType.LOW);
    } else {
      fillFrom(to, i, IndexKeyType.HIGH);
    }
    return new Run(from, to);
  }

  private static void fillFrom(Object[] key, int start, Object value) {
    for (int i = start; i < key.length; i++) {
      key[i] = value;
    }
  }

  private enum Direction { ASCENDING, DESCENDING }

  /**
   * Whether reading the index after its first {@code bound} keys yields the sort order: the sort's keys (less those
   * fixed by a single equality) must be the next index keys, then the position, all in one direction. Entries are
   * stored ascending whatever the index's declared direction, so a descending sort reads backwards.
   */
  private static Direction order(List<IndexKey> keys, int bound, List<IndexKey> sort, Set<String> constant,
                                 String idField) {
    List<String> order = new ArrayList<>();
    for (int i = bound; i < keys.size(); i++) {
      order.add(keys.get(i).getKey());
    }
    order.add(idField);
    Direction direction = null;
    int next = 0;
    for (IndexKey key : sort) {
      if (constant.contains(key.getKey())) {
        continue;
      }
      if (next >= order.size() || !order.get(next).equals(key.getKey())) {
        return null;
      }
      Direction wanted = key.isAscending() ? Direction.ASCENDING : Direction.DESCENDING;
      if (direction != null && direction != wanted) {
        return null;
      }
      direction = wanted;
      next++;
    }
    return direction == null ? Direction.ASCENDING : direction;
  }

  private static List<IndexKey> sortKeys(Document orderBy) {
    List<IndexKey> keys = new ArrayList<>();
    if (orderBy != null) {
      orderBy.forEach((key, value) -> keys.add(new IndexKey(key, !(value instanceof Number n) || n.intValue() >= 0)));
    }
    return keys;
  }

  /** What the query says about one field, as far as an index can use it. */
  private static final class Condition {
    List<Object> equals;
    Object lower;
    boolean lowerInclusive;
    Object upper;
    boolean upperInclusive;
    /** Set when the condition is the query's own top-level field, an equality or {@code $in} and nothing else. */
    boolean topLevelEquality;

    /**
     * Whether an index run on these values returns exactly the documents the condition matches (on an index that
     * holds no arrays for the field): top-level, one path segment, only strings and ObjectIds (whose equality is
     * the index's; numbers, nulls and documents have cross-type or missing-field rules left to the matcher).
     */
    boolean exact() {
      return topLevelEquality && equals.stream().allMatch(value -> value instanceof String || value instanceof ObjectId);
    }

    boolean hasRange() {
      return lower != null || upper != null;
    }

    boolean matchesNull() {
      return equals != null ? equals.contains(null) : !hasRange();
    }
  }

  private static Map<String, Condition> conditions(Document query) {
    Map<String, Condition> conditions = new LinkedHashMap<>();
    collect(query, conditions);
    return conditions;
  }

  private static void collect(Document query, Map<String, Condition> conditions) {
    collect(query, conditions, true);
  }

  private static void collect(Document query, Map<String, Condition> conditions, boolean topLevel) {
    query.forEach((field, value) -> {
      if (field.equals("$and") && value instanceof Collection<?> clauses) {
        clauses.forEach(clause -> {
          if (clause instanceof Document document) {
            collect(document, conditions, false);
          }
        });
      } else if (!field.startsWith("$") && !conditions.containsKey(field)) {
        Condition condition = condition(value);
        if (condition != null) {
          condition.topLevelEquality = topLevel && field.indexOf('.') < 0 && equalityOnly(value);
          conditions.put(field, condition);
        }
      }
    });
  }

  /** A plain value, or an operator document of {@code $eq} / {@code $in} alone. */
  private static boolean equalityOnly(Object value) {
    if (value instanceof Document document && !document.isEmpty() && document.keySet().iterator().next().startsWith("$")) {
      return document.size() == 1 && (document.containsKey("$eq") || document.containsKey("$in"));
    }
    return plain(value);
  }

  private static Condition condition(Object value) {
    if (value instanceof Document document && !document.isEmpty()
        && document.keySet().iterator().next().startsWith("$")) {
      Condition condition = new Condition();
      document.forEach((operator, operand) -> {
        switch (operator) {
          case "$eq" -> {
            if (plain(operand)) {
              condition.equals = Collections.singletonList(normalized(operand));
            }
          }
          case "$in" -> {
            if (operand instanceof Collection<?> values && !values.isEmpty()) {
              condition.equals = inValues(values);
            }
          }
          case "$gt", "$gte" -> {
            if (plain(operand) && operand != null) {
              condition.lower = normalized(operand);
              condition.lowerInclusive = operator.equals("$gte");
            }
          }
          case "$lt", "$lte" -> {
            if (plain(operand) && operand != null) {
              condition.upper = normalized(operand);
              condition.upperInclusive = operator.equals("$lte");
            }
          }
          default -> {
            // other operators are left to the matcher
          }
        }
      });
      if (condition.equals != null) {
        condition.lower = null;
        condition.upper = null;
      }
      return condition.equals != null || condition.hasRange() ? condition : null;
    }
    if (!plain(value)) {
      return null;
    }
    Condition condition = new Condition();
    condition.equals = Collections.singletonList(normalized(value));
    return condition;
  }

  /**
   * The distinct normalized values of an {@code $in}, in order; null when one of them is not {@link #plain}. A loop,
   * not a stream: a channel list plans five queries with a 20-value {@code $in} each, and the streams were a third of
   * the planning.
   */
  private static List<Object> inValues(Collection<?> values) {
    Set<Object> distinct = new java.util.LinkedHashSet<>(values.size() * 2);
    for (Object value : values) {
      if (!plain(value)) {
        return null;
      }
      distinct.add(normalized(value));
    }
    return new ArrayList<>(distinct); // not List.copyOf: an $in may hold null
  }

  /** A value the index holds as such: not an array (matched element-wise), a pattern or an operator document. */
  private static boolean plain(Object value) {
    if (value instanceof String || value instanceof ObjectId || value instanceof Number || value instanceof Boolean) {
      return true; // the common ids and scalars, without the checks below (a map lookup for a pattern document)
    }
    return !(value instanceof Collection) && !(value instanceof Pattern)
        && !BsonRegularExpression.isRegularExpression(value)
        && !(value instanceof Document document && document.keySet().stream().anyMatch(key -> key.startsWith("$")));
  }

  private static Object normalized(Object value) {
    if (value instanceof String || value instanceof ObjectId || value instanceof Boolean) {
      return value; // what the library's normalization returns for them, without its list and stream
    }
    return new KeyValue(value).normalized().get(0);
  }
}
