package com.connectbest.chat.embeddedstore;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BSON bytes of stored documents, by document identity, for as long as the document object lives. H2 is
 * copy-on-write: each commit writes every changed B-tree leaf whole, so a send that appends one message to the last
 * leaf of {@code messages} re-serialized up to 48 documents that had not changed since the previous commit (6.5 % of
 * a send's CPU). A stored document is never changed: the library would update the stored object in place, so its
 * updates read copies and store them as new objects ({@link OrderedH2Collection#updateDocuments}), and a document's
 * bytes from its first commit are its bytes at every later one. The test suites compare each reuse with a fresh
 * encoding ({@link BsonDocumentType#CHECK_PROPERTY}): that check found the library's in-place update.
 *
 * <p>Entries are held through weak references: an entry goes when H2 no longer holds its document (the page was
 * rewritten without it, or dropped from the page cache), so the cache is never larger than the documents in memory.
 */
final class StoredEncodings {

  private final ConcurrentHashMap<Identity, byte[]> bytes = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  /** The cached bytes of this very object, or null. */
  byte[] get(Object document) {
    purge();
    return bytes.get(new Probe(document));
  }

  void put(Object document, byte[] encoded) {
    bytes.put(new Identity(document, collected), encoded);
  }

  void remove(Object document) {
    bytes.remove(new Probe(document));
  }

  int size() {
    purge();
    return bytes.size();
  }

  private void purge() {
    for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
      bytes.remove(gone);
    }
  }

  /** A weak key compared by identity; equal to a {@link Probe} of the same object while that object lives. */
  private static final class Identity extends WeakReference<Object> {
    private final int hash;

    Identity(Object document, ReferenceQueue<Object> queue) {
      super(document, queue);
      this.hash = System.identityHashCode(document);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      Object mine = get();
      return mine != null && other instanceof Probe probe && probe.document == mine;
    }
  }

  /** A lookup key (strong, short-lived). */
  private static final class Probe {
    private final Object document;

    Probe(Object document) {
      this.document = document;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(document);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Identity identity && identity.get() == document;
    }
  }
}
