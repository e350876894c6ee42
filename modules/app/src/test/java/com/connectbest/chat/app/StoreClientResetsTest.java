package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoreClientResetsTest {

  @Test
  @DisplayName("with the shipped logback.xml a store client's connection reset is not logged, other store errors are")
  void resetsAreQuietOtherErrorsAreNot() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(StoreClientResets.class.getResource("/logback.xml"));
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
    try {
      Logger handler = context.getLogger(StoreClientResets.LOGGER);
      handler.error("exception for client {}", "7b1014c2", new SocketException("Connection reset"));
      handler.error("exception for client {}", "7b1014c2", new IllegalStateException("a decoding bug"));
      context.getLogger("de.bwaldvogel.mongo.wire.MongoDatabaseHandler").error("Unknown error!",
          new SocketException("not the client handler"));

      List<String> logged = captured.list.stream()
          .map(event -> event.getLoggerName() + ": " + event.getThrowableProxy().getClassName()).toList();
      assertEquals(List.of(StoreClientResets.LOGGER + ": java.lang.IllegalStateException",
          "de.bwaldvogel.mongo.wire.MongoDatabaseHandler: java.net.SocketException"), logged);
    } finally {
      context.stop();
    }
  }
}
