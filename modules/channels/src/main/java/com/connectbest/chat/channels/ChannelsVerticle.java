package com.connectbest.chat.channels;

import com.connectbest.chat.common.Addresses;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceVerticle;
import com.connectbest.chat.common.UserDirectory;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Channels, membership, read state and typing; owner of the collections described on {@link ChannelStore}. */
public class ChannelsVerticle extends ServiceVerticle {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsVerticle.class);
  static final long DEFAULT_TYPING_WINDOW_MS = 5_000;
  /** How long read counts may lag writes made through another channels instance (see {@link ChannelReaders}). */
  static final long READERS_TTL_MS = 1_000;
  /** About 100 bytes each: the read-count cache holds at most a few MB, however many memberships are stored. */
  static final int READERS_MAX_POSITIONS = 50_000;
  /** How long a store edit behind the server's back stays unseen in channel lists ({@link ChannelDocCache}). */
  static final long CHANNEL_DOCS_TTL_MS = 30_000;
  /** Channel documents are a few hundred bytes: at most a few MB. */
  static final int CHANNEL_DOCS_MAX = 10_000;

  @Override
  protected String address() {
    return Addresses.CHANNELS;
  }

  @Override
  protected Future<?> configure(ServiceDispatcher dispatcher) {
    MongoClient mongo = mongo();
    ChannelStore channels = new ChannelStore(mongo);
    ChannelReaders readers = new ChannelReaders(READERS_TTL_MS, READERS_MAX_POSITIONS,
        System::currentTimeMillis);
    // Test-only: the process dies after a removal, before its removal count moves (RemovalCrashIT).
    MembershipStore members = new MembershipStore(mongo, readers,
        settings.bool("TEST_HALT_BEFORE_REMOVAL_COUNT", false) ? () -> Runtime.getRuntime().halt(137) : () -> { });
    ReadStateStore reads = new ReadStateStore(mongo, readers);
    TypingBoard typing = new TypingBoard(vertx, settings.number("TYPING_WINDOW_MS", DEFAULT_TYPING_WINDOW_MS),
        System::currentTimeMillis);
    ChannelGuard guard = new ChannelGuard(channels, members);
    UserDirectory directory = new UserDirectory(services);
    ChannelEvents events = new ChannelEvents(vertx.eventBus(), services);
    ChannelService channelService = new ChannelService(channels, members, reads, guard, directory, services, events,
        new ChannelDocCache(CHANNEL_DOCS_TTL_MS, CHANNEL_DOCS_MAX, System::currentTimeMillis));
    MembershipService membership = new MembershipService(channels, members, typing, guard, directory, events);
    ActivityService activity = new ActivityService(reads, typing, guard, directory, events, services);
    HookStore hooks = new HookStore(mongo);
    ChannelsApi.register(dispatcher, channelService, membership, activity, new AccessService(channels, members, reads,
        readers), new HookService(hooks, members, guard, events, services));
    return channels.createIndexes()
        .compose(v -> members.createIndexes())
        .compose(v -> reads.createIndexes())
        .compose(v -> hooks.createIndexes())
        .compose(v -> typing.start())
        .compose(v -> membership.ensureGeneral())
        .compose(generalId -> joinGeneralOnRegistration(membership));
  }

  private Future<Void> joinGeneralOnRegistration(MembershipService membership) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.USER_REGISTERED, message -> {
      Object userId = message.body() == null ? null : message.body().getValue("user_id");
      membership.joinGeneral(userId)
          .onFailure(err -> LOG.warn("Could not add user {} to general: {}", userId, err.getMessage()));
    });
    return consumer.completion();
  }
}
