package com.connectbest.chat.embeddedstore;

import java.util.Map;
import org.h2.mvstore.CursorPos;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.DataType;

/**
 * An H2 map whose every change is recorded in the store's {@link RedoLog} as the entry it leaves. All of
 * {@link MVMap}'s changes but {@link #clear()} go through {@link #operate}, which this class wraps: the decision
 * maker is watched to learn what was done (put which value, removed, or nothing), and the change and its record are
 * made under one lock per map, so a map's records are in the order of its changes. A page rewrite by H2's
 * compaction puts back the same value object and is not recorded: it changes nothing a replay would need.
 */
final class LoggedMap<K, V> extends MVMap<K, V> {

  private final RedoLog redo;
  private final Object order = new Object();
  private volatile String name;

  private LoggedMap(Map<String, Object> config, DataType<K> keyType, DataType<V> valueType, RedoLog redo,
                    String name) {
    super(config, keyType, valueType);
    this.redo = redo;
    this.name = name;
  }

  /** The name records carry: the map's name when it was opened, or after its last rename. */
  String logName() {
    return name;
  }

  void renamed(String newName) {
    this.name = newName;
  }

  @Override
  public V operate(K key, V value, DecisionMaker<? super V> decisionMaker) {
    if (!redo.recording()) {
      return super.operate(key, value, decisionMaker); // unlogged (a replay, a build): nothing to record
    }
    Watched<V> watched = new Watched<>(decisionMaker);
    synchronized (order) {
      V result = super.operate(key, value, watched);
      if (watched.decision == Decision.PUT && watched.selected != watched.existing) {
        redo.put(this, key, watched.selected);
      } else if (watched.decision == Decision.REMOVE && watched.existing != null) {
        redo.remove(this, key);
      }
      return result;
    }
  }

  @Override
  public void clear() {
    synchronized (order) {
      super.clear();
      redo.clear(this);
    }
  }

  /** Passes every call on and keeps the last decision with the values it was made on. */
  private static final class Watched<V> extends DecisionMaker<V> {
    private final DecisionMaker<? super V> delegate;
    private Decision decision;
    private V existing;
    private V selected;

    Watched(DecisionMaker<? super V> delegate) {
      this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Decision decide(V existingValue, V providedValue, CursorPos<?, ?> tip) {
      existing = existingValue;
      decision = ((DecisionMaker<V>) delegate).decide(existingValue, providedValue, tip);
      return decision;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Decision decide(V existingValue, V providedValue) {
      existing = existingValue;
      decision = ((DecisionMaker<V>) delegate).decide(existingValue, providedValue);
      return decision;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends V> T selectValue(T existingValue, T providedValue) {
      T value = ((DecisionMaker<V>) delegate).selectValue(existingValue, providedValue);
      selected = value;
      return value;
    }

    @Override
    public void reset() {
      delegate.reset();
      decision = null;
      selected = null;
    }
  }

  /** Builds logged maps of one name. */
  static final class Builder<K, V> extends MVMap.Builder<K, V> {
    private final RedoLog redo;
    private final String name;

    Builder(RedoLog redo, String name) {
      this.redo = redo;
      this.name = name;
    }

    @Override
    protected MVMap<K, V> create(Map<String, Object> config) {
      config.put("singleWriter", false);
      return new LoggedMap<>(config, getKeyType(), getValueType(), redo, name);
    }
  }
}
