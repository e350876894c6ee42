package com.connectbest.chat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import org.slf4j.Marker;

/**
 * Keeps the embedded MongoDB's "exception for client" errors out of the log when they only say that a client's
 * connection was reset: mongo-java-server logs each one at ERROR with a stack trace, and they happen whenever a
 * driver closes its pool with replies still unread (a node's own shutdown) or a cluster node that used this node's
 * store is killed. MongoDB itself logs such disconnects as routine. Any other exception on that path still shows.
 */
public final class StoreClientResets extends TurboFilter {

  static final String LOGGER = "de.bwaldvogel.mongo.wire.MongoExceptionHandler";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // slf4j passes a trailing exception argument among the parameters; logback extracts it only after this filter
    Object cause = t != null ? t : params != null && params.length > 0 ? params[params.length - 1] : null;
    return cause instanceof IOException && LOGGER.equals(logger.getName()) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
