package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat traffic for the crash tests. A team of clients in one channel sends messages, reacts to acknowledged
 * messages, marks the channel read, edits, pins, unpins and deletes its own messages, replies in a thread, joins and
 * leaves a second channel, sends direct messages, bookmarks messages, renames itself, uploads files, signs new
 * accounts up, signs out of some, changes passwords and avatars, turns 2FA on and off, creates channels, adds
 * members and creates and revokes incoming hooks, all at once against one gateway, and records what every 2xx
 * answer established. Then the node is killed mid-traffic; after a restart {@link #verify} reads it all back over
 * the REST API. A request without an answer (in flight at the kill) establishes nothing, or leaves either outcome
 * right where a later check depends on it; a non-2xx answer establishes nothing. So the check holds exactly when
 * every acknowledgement was durable.
 */
final class CrashLoad implements AutoCloseable {

  static final String SECRET = "crash-test-secret-0123456789abcdef-0123456789";
  /** Sign-ups, sign-ins and sends from one address at load rates. */
  static final String RATE_LIMITS = new JsonObject()
      .put("login", new JsonObject().put("per_ip", "off").put("per_account", "off"))
      .put("register", new JsonObject().put("per_ip", "off"))
      .put("send_message", new JsonObject().put("per_ip", "off").put("per_account", "off"))
      .encode();
  static final String PASSWORD = "SecurePass123";
  private static final String[] EMOJIS = {"\uD83D\uDC4D", "\uD83C\uDF89", "\uD83D\uDC40", "\u2705"};
  private static final int REQUEST_TIMEOUT_MS = 5000;
  /** The load goes on at least this long before the kill, and until this many sends were acknowledged. */
  private static final int MIN_ACKNOWLEDGED_BEFORE_KILL = 150;
  /** Each client keeps at most this many of its messages pinned, so the pinned list (at most 100) shows them all. */
  private static final int PINS_PER_CLIENT = 5;

  record User(String id, String token) {
  }

  /** What the 2xx answers say a message holds: the acknowledged content, or a later edit that got no 2xx answer. */
  static final class Expected {
    volatile String content;
    volatile boolean edited;
    final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
    /** A delete was sent: the message may be gone (it is then checked as a delete, not as a message). */
    volatile boolean deleteSent;
    /** A delete was answered 200: the message must be gone. */
    volatile boolean deleted;

    Expected(String content) {
      this.content = content;
    }

    boolean accepts(String stored) {
      return content.equals(stored) || unconfirmed.contains(stored);
    }
  }

  /**
   * A kind of write checked the same way: how many were sent, how many things a 2xx answer settled, and which of
   * those the restarted node does not show as answered.
   */
  record Settled(String kind, int sent, int settled, List<String> wrong) {

    String line() {
      return kind + " sent=" + sent + ", settled by an answer=" + settled + ", as answered after restart="
          + (settled - wrong.size());
    }
  }

  /** The counts of one run: what was tried, what was acknowledged, what the restarted node still has. */
  record Report(int sent, int acknowledged, int found, int wrongContent, List<String> lost, List<String> readsBehind,
                int eventsFound, List<String> eventsMissing, int seqsOutOfOrder, int unreadDrift,
                int reactionsSent, int reactionsAcknowledged, int reactionsFound,
                int readsSent, int readersAcknowledged, int readersFound,
                int editsSent, int editsAcknowledged, int editsFound,
                int membershipsSent, int membershipsKnown, List<String> membershipsWrong,
                int repliesSent, int repliesAcknowledged, int repliesFound, int replyCount, int repliesStored,
                int pinsSent, int pinsKnown, List<String> pinsWrong, List<String> pinIndexDisagreements,
                List<Settled> more,
                int unanswered, int refused, Map<Integer, Integer> refusedByStatus, int acknowledgedInLastSecond,
                long loadMillis) {

    String line(String label) {
      return "crash test" + label + ": sent=" + sent + ", acknowledged=" + acknowledged + ", found after restart="
          + found + (wrongContent > 0 ? " (" + wrongContent + " present with older content)" : "")
          + "; new_message events resumable=" + eventsFound + (seqsOutOfOrder > 0 ? " (" + seqsOutOfOrder
          + " seqs not increasing)" : "")
          + "; owner's unread count minus the stored messages it has not read=" + unreadDrift
          + "; reactions sent=" + reactionsSent + ", acknowledged=" + reactionsAcknowledged + ", found=" + reactionsFound
          + "; read positions (users) marked=" + readsSent + " times, acknowledged=" + readersAcknowledged
          + ", at least as far after restart=" + readersFound
          + "; edits sent=" + editsSent + ", edited messages acknowledged=" + editsAcknowledged + ", found=" + editsFound
          + "; joins and leaves sent=" + membershipsSent + ", users whose membership an answer settled="
          + membershipsKnown + ", as answered after restart=" + (membershipsKnown - membershipsWrong.size())
          + "; replies sent=" + repliesSent + ", acknowledged=" + repliesAcknowledged + ", found on the thread page="
          + repliesFound + " (" + repliesStored + " stored, the root's reply_count " + replyCount + ")"
          + "; pins and unpins sent=" + pinsSent + ", messages whose pin an answer settled=" + pinsKnown
          + ", as answered after restart=" + (pinsKnown - pinsWrong.size())
          + (pinIndexDisagreements.isEmpty() ? "" : ", pinned list and messages disagree on "
          + pinIndexDisagreements.size())
          + more.stream().map(kind -> "; " + kind.line()).reduce("", String::concat)
          + "; load " + loadMillis + " ms, " + acknowledgedInLastSecond + " sends acknowledged in the last second"
          + " before the kill, " + unanswered + " requests unanswered (in flight at the kill), " + refused
          + " answered non-2xx" + (refusedByStatus.isEmpty() ? "" : " " + refusedByStatus);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final WebClient http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000)
      .setFollowRedirects(false), new PoolOptions().setHttp1MaxSize(16));
  private volatile int port;
  private volatile boolean stop;

  private User owner;
  private final List<User> users = new ArrayList<>();
  private final AccountWrites accounts = new AccountWrites(this, users);
  private String channel;
  /** A second, public channel that every user joins and leaves over and over. */
  private String churnChannel;
  /** Per user: member of {@link #churnChannel} or not, as the last answer said; absent while no answer settled it. */
  private final Map<String, Boolean> memberships = new ConcurrentHashMap<>();
  private final AtomicInteger membershipsSent = new AtomicInteger();
  /** The seed message is also the thread root every reply goes to. */
  private String seedMessage;
  /** Acknowledged replies to {@link #seedMessage}: id to content. */
  private final Map<String, String> replies = new ConcurrentHashMap<>();
  private final AtomicInteger repliesSent = new AtomicInteger();
  /** Per message: pinned or not, as the last answer said; absent while no answer settled it (or never pinned). */
  private final Map<String, Boolean> pins = new ConcurrentHashMap<>();
  private final AtomicInteger pinsSent = new AtomicInteger();

  /** Acknowledged direct messages to the owner: id to content. */
  private final Map<String, String> directMessages = new ConcurrentHashMap<>();
  private final AtomicInteger directSent = new AtomicInteger();
  private final AtomicInteger deletesSent = new AtomicInteger();
  /** Per user and message ("user message"): bookmarked or not, as the last toggle's answer said. */
  private final Map<String, Boolean> bookmarks = new ConcurrentHashMap<>();
  private final AtomicInteger bookmarksSent = new AtomicInteger();
  /** Acknowledged uploads: the file's path under /api/files/ to its uploader's index and content. */
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicInteger uploadsSent = new AtomicInteger();
  /** Acknowledged channel creations: id to name, and who created it. */
  private final Map<String, String> createdChannels = new ConcurrentHashMap<>();
  private final Map<String, User> channelCreators = new ConcurrentHashMap<>();
  private final AtomicInteger channelsSent = new AtomicInteger();
  /** Per client 2 and 3: its last acknowledged channel, where it adds members and creates and revokes a hook. */
  private final Map<Integer, String> lastChannels = new ConcurrentHashMap<>();
  /** Per client 2 and 3: its hook, created and not (known to be) revoked. */
  private final Map<Integer, Hook> liveHooks = new ConcurrentHashMap<>();
  /** Hook tokens: usable (true) or revoked (false) as the last answer about the hook said; absent while one is out. */
  private final Map<String, Boolean> hooks = new ConcurrentHashMap<>();
  private final AtomicInteger hooksSent = new AtomicInteger();
  /** Per channel a client created: the ids of the other clients whose addition was acknowledged. */
  private final Map<String, Set<String>> addedMembers = new ConcurrentHashMap<>();
  private final AtomicInteger memberAddsSent = new AtomicInteger();

  private record Upload(int userIndex, String content) {
  }

  private record Hook(String channelId, String id, String token) {
  }

  private final Map<String, Expected> messages = new ConcurrentHashMap<>();
  private final List<String> acknowledgedIds = Collections.synchronizedList(new ArrayList<>());
  private final Set<String> reactions = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> reads = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> sendAckTimes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sends = new AtomicInteger();
  private final AtomicInteger reactionsSent = new AtomicInteger();
  private final AtomicInteger readsSent = new AtomicInteger();
  private final AtomicInteger editsSent = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final Map<Integer, AtomicInteger> refusedByStatus = new ConcurrentHashMap<>();
  private int acknowledgedInLastSecond;
  private long loadMillis;

  /** The owner creates the channel, adds one user per client and posts a seed message (read positions are read on it). */
  void setUp(int gatewayPort, int clients) {
    port = gatewayPort;
    owner = signUp("crash-owner@example.com", "Crash Owner");
    channel = expect(201, call(HttpMethod.POST, "/api/chat/channels", owner,
        new JsonObject().put("name", "crash-load"))).getJsonObject("channel").getString("id");
    for (int i = 0; i < clients; i++) {
      User user = signUp("crash-" + i + "@example.com", "Crash User " + (char) ('A' + i));
      expect(200, call(HttpMethod.POST, "/api/chat/channels/" + channel + "/members", owner,
          new JsonObject().put("user_id", user.id())));
      users.add(user);
      accounts.addClient(i);
    }
    churnChannel = expect(201, call(HttpMethod.POST, "/api/chat/channels", owner,
        new JsonObject().put("name", "crash-churn").put("type", "public"))).getJsonObject("channel").getString("id");
    seedMessage = expect(201, call(HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send", owner,
        new JsonObject().put("content", "seed"))).getJsonObject("message").getString("id");
  }

  /**
   * Runs {@code threadsPerClient} request loops per client for at least {@code minMillis} (and until
   * {@value #MIN_ACKNOWLEDGED_BEFORE_KILL} sends were acknowledged, for at most 10 s more), then calls {@code kill}
   * while requests are in flight, and waits for the loops to end.
   */
  void runAndKill(int gatewayPort, int threadsPerClient, long minMillis, Runnable kill) {
    port = gatewayPort;
    long start = System.currentTimeMillis();
    long hardDeadline = start + minMillis + 15_000;
    List<Thread> workers = new ArrayList<>();
    for (int u = 0; u < users.size(); u++) {
      for (int t = 0; t < threadsPerClient; t++) {
        int userIndex = u;
        int thread = t;
        Thread worker = new Thread(() -> work(userIndex, thread, hardDeadline), "crash-load-" + u + "-" + t);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
    }
    while (System.currentTimeMillis() < start + minMillis
        || sendAckTimes.size() < MIN_ACKNOWLEDGED_BEFORE_KILL && System.currentTimeMillis() < start + minMillis + 10_000) {
      NodeProcess.sleep(20);
    }
    long killedAt = System.nanoTime();
    loadMillis = System.currentTimeMillis() - start;
    acknowledgedInLastSecond = (int) sendAckTimes.stream().filter(t -> killedAt - t < 1_000_000_000L).count();
    try {
      kill.run();
    } finally {
      stop = true;
      for (Thread worker : workers) {
        try {
          worker.join(REQUEST_TIMEOUT_MS + 2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  int acknowledgedSends() {
    return messages.size();
  }

  int acknowledgedReactions() {
    return reactions.size();
  }

  int acknowledgedReaders() {
    return reads.size();
  }

  private void work(int userIndex, int thread, long deadline) {
    User user = users.get(userIndex);
    Random random = new Random(userIndex * 31L + thread);
    List<String> mine = new ArrayList<>();
    for (int i = 0; !stop && System.currentTimeMillis() < deadline; i++) {
      int op = i % 10;
      try {
        if ((op == 3 || op == 7) && !acknowledgedIds.isEmpty()) {
          react(user, random);
        } else if (op == 5 && thread == 0) {
          markRead(user); // one loop per user marks read, so that user's positions are acknowledged in order
        } else if (op == 1 && thread == 1) {
          toggleMembership(user); // one loop per user, so its joins and leaves are answered in order
        } else if (op == 1 && thread == 0) {
          reply(user, userIndex, i);
        } else if (op == 1 && thread == 2) {
          accounts.rename(user, userIndex, i); // one loop per user, so its names are answered in order
        } else if (op == 0 && thread == 1) {
          directMessage(user, userIndex, i);
        } else if (op == 4 && thread == 0 && userIndex < 2) {
          accounts.signUpNew(userIndex, i); // a bcrypt hash each: two loops, about ten per run
        } else if (op == 4 && thread == 0) {
          accounts.signInAndOut(userIndex); // an account of its own: it is signed out over and over
        } else if (op == 4 && thread == 1 && !acknowledgedIds.isEmpty()) {
          toggleBookmark(user, random); // one loop per user, so its toggles are answered in order
        } else if (op == 4 && thread == 2) {
          upload(user, userIndex, i);
        } else if (op == 5 && thread == 1 && mine.size() > 1) {
          delete(user, mine, random); // only the loop that sent a message deletes it (and it edits it no more)
        } else if (op == 5 && thread == 2 && !mine.isEmpty()) {
          togglePin(user, mine, random); // only the loop that sent a message pins it, so answers come in order
        } else if (op == 8 && thread == 1 && userIndex < 2) {
          accounts.changePassword(userIndex); // an account of its own: its tokens are revoked by each change
        } else if ((op == 2 || op == 6) && thread == 0 && userIndex >= 2) {
          createChannel(user, userIndex, i);
        } else if (op == 6 && thread == 1 && userIndex >= 2) {
          addMember(user, userIndex);
        } else if (op == 6 && thread == 2) {
          accounts.uploadAvatar(user, userIndex); // the same loop renames: one loop per user writes its profile
        } else if (op == 8 && thread == 0 && userIndex >= 2) {
          toggleHook(user, userIndex); // one loop per channel creator, so its creations and revocations are in order
        } else if (op == 8 && thread == 2) {
          accounts.toggleTwoFactor(user); // one loop per user, so its enables and disables are answered in order
        } else if (op == 9 && !mine.isEmpty()) {
          edit(user, mine.get(random.nextInt(mine.size())), userIndex, thread, i);
        } else {
          send(user, userIndex, thread, i, mine);
        }
      } catch (Exception noAnswer) { // await() throws I/O failures (reset, refused) as they are, not wrapped
        unanswered.incrementAndGet(); // connection reset by the kill (or refused after it): established nothing
        if (!stop) {
          NodeProcess.sleep(5);
        }
      }
    }
  }

  private void send(User user, int userIndex, int thread, int i, List<String> mine) {
    String content = "client " + userIndex + " loop " + thread + " message " + i;
    sends.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/chat/channels/" + channel + "/messages/send", user,
        new JsonObject().put("content", content));
    if (acknowledged(response, 201)) {
      String id = response.bodyAsJsonObject().getJsonObject("message").getString("id");
      messages.put(id, new Expected(content));
      acknowledgedIds.add(id);
      mine.add(id);
      sendAckTimes.add(System.nanoTime());
    }
  }

  private void react(User user, Random random) {
    String id;
    synchronized (acknowledgedIds) {
      id = acknowledgedIds.get(random.nextInt(acknowledgedIds.size()));
    }
    String emoji = EMOJIS[random.nextInt(EMOJIS.length)];
    reactionsSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST,
        "/api/chat/channels/" + channel + "/messages/" + id + "/reactions", user, new JsonObject().put("emoji", emoji));
    if (acknowledged(response, 200)) {
      reactions.add(id + " " + user.id() + " " + emoji);
    }
  }

  private void markRead(User user) {
    readsSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/chat/channels/" + channel + "/read", user, null);
    if (acknowledged(response, 200)) {
      Instant at = Instant.parse(response.bodyAsJsonObject().getJsonObject("data").getString("last_read_at"));
      reads.merge(user.id(), at, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /**
   * Joins the churn channel if the last answer said the user is out (or nothing settled it), else leaves it. A 2xx
   * answer settles the new state; a 400 ("already a member", "not a member") settles the state the request assumed
   * wrong; no answer, or any other, leaves it unknown until the next answer.
   */
  private void toggleMembership(User user) {
    boolean join = !memberships.getOrDefault(user.id(), false);
    memberships.remove(user.id());
    membershipsSent.incrementAndGet();
    HttpResponse<Buffer> response = join
        ? call(HttpMethod.POST, "/api/chat/channels/" + churnChannel + "/join", user, null)
        : call(HttpMethod.DELETE, "/api/chat/channels/" + churnChannel + "/members/" + user.id(), user, null);
    if (response.statusCode() == 400) {
      memberships.put(user.id(), !join);
    } else if (acknowledged(response, 200)) {
      memberships.put(user.id(), join);
    }
  }

  private void reply(User user, int userIndex, int i) {
    String content = "client " + userIndex + " reply " + i;
    repliesSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/chat/messages/" + seedMessage + "/replies", user,
        new JsonObject().put("content", content));
    if (acknowledged(response, 201)) {
      replies.put(response.bodyAsJsonObject().getJsonObject("reply").getString("id"), content);
    }
  }

  /**
   * Pins one of this loop's messages while fewer than {@value #PINS_PER_CLIENT} are known pinned, else unpins one of
   * those. The message's state is unknown while the request is out; a 200 settles it.
   */
  private void togglePin(User user, List<String> mine, Random random) {
    List<String> pinned = mine.stream().filter(id -> Boolean.TRUE.equals(pins.get(id))).toList();
    boolean pin = pinned.size() < PINS_PER_CLIENT;
    String id = pin ? mine.get(random.nextInt(mine.size())) : pinned.get(random.nextInt(pinned.size()));
    pins.remove(id);
    pinsSent.incrementAndGet();
    HttpResponse<Buffer> response = call(pin ? HttpMethod.POST : HttpMethod.DELETE,
        "/api/chat/messages/" + id + "/pin", user, null);
    if (acknowledged(response, 200)) {
      pins.put(id, pin);
    }
  }

  /** Only the loop that sent a message edits it, so its edits are answered in the order they were made. */
  private void edit(User user, String id, int userIndex, int thread, int i) {
    Expected expected = messages.get(id);
    String content = "client " + userIndex + " loop " + thread + " edit " + i;
    expected.unconfirmed.add(content);
    editsSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.PUT, "/api/chat/messages/" + id, user,
        new JsonObject().put("content", content));
    if (acknowledged(response, 200)) {
      expected.content = content;
      expected.edited = true;
      expected.unconfirmed.clear();
    }
  }

  /** A direct message to the owner (the conversation is created by the first one). */
  private void directMessage(User user, int userIndex, int i) {
    String content = "client " + userIndex + " direct " + i;
    directSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/dm/users/" + owner.id() + "/messages", user,
        new JsonObject().put("content", content));
    if (acknowledged(response, 201)) {
      directMessages.put(response.bodyAsJsonObject().getJsonObject("message").getString("id"), content);
    }
  }

  /** Deletes one of this loop's messages (never its first, which stays for the others to react to). */
  private void delete(User user, List<String> mine, Random random) {
    String id = mine.remove(1 + random.nextInt(mine.size() - 1));
    Expected expected = messages.get(id);
    expected.deleteSent = true;
    deletesSent.incrementAndGet();
    if (acknowledged(call(HttpMethod.DELETE, "/api/chat/messages/" + id, user, null), 200)) {
      expected.deleted = true;
    }
  }

  /** Toggles a bookmark on one of the first 20 acknowledged messages; the answer says which state it settled. */
  private void toggleBookmark(User user, Random random) {
    String id;
    synchronized (acknowledgedIds) {
      id = acknowledgedIds.get(random.nextInt(Math.min(20, acknowledgedIds.size())));
    }
    String key = user.id() + " " + id;
    bookmarks.remove(key);
    bookmarksSent.incrementAndGet();
    HttpResponse<Buffer> response = call(HttpMethod.POST, "/api/chat/messages/" + id + "/bookmark", user, null);
    if (acknowledged(response, 200)) {
      bookmarks.put(key, response.bodyAsJsonObject().getBoolean("bookmarked"));
    }
  }

  private void upload(User user, int userIndex, int i) {
    String content = "client " + userIndex + " upload " + i + " " + java.util.UUID.randomUUID();
    uploadsSent.incrementAndGet();
    HttpResponse<Buffer> response = sendFile("/api/upload/message-file", user,
        "crash-" + userIndex + "-" + i + ".txt", Buffer.buffer(content), "text/plain");
    if (acknowledged(response, 200)) {
      uploads.put(response.bodyAsJsonObject().getString("filename"), new Upload(userIndex, content));
    }
  }

  /** A multipart upload of one file, as the field {@code file}. */
  HttpResponse<Buffer> sendFile(String path, User as, String fileName, Buffer content, String mediaType) {
    io.vertx.ext.web.multipart.MultipartForm form = io.vertx.ext.web.multipart.MultipartForm.create()
        .binaryFileUpload("file", fileName, content, mediaType);
    return http.request(HttpMethod.POST, port, "127.0.0.1", path).timeout(REQUEST_TIMEOUT_MS)
        .bearerTokenAuthentication(as.token()).sendMultipartForm(form).await();
  }

  /** A GET of a file under /api/files/, following the redirect to the object store's signed URL. */
  HttpResponse<Buffer> getFile(String path, User as) {
    HttpResponse<Buffer> response = call(HttpMethod.GET, path, as, null);
    if (response.statusCode() == 302) {
      response = http.getAbs(response.getHeader("Location")).timeout(REQUEST_TIMEOUT_MS).send().await();
    }
    return response;
  }

  /** Adds client 0 to the client's last channel, then client 1; a 2xx answer settles that membership. */
  private void addMember(User user, int userIndex) {
    String channelId = lastChannels.get(userIndex);
    if (channelId == null) {
      return;
    }
    Set<String> added = addedMembers.getOrDefault(channelId, Set.of());
    User next = users.get(added.isEmpty() ? 0 : 1);
    if (added.contains(next.id())) {
      return; // both added: wait for the next channel
    }
    memberAddsSent.incrementAndGet();
    HttpResponse<Buffer> answer = call(HttpMethod.POST, "/api/chat/channels/" + channelId + "/members", user,
        new JsonObject().put("user_id", next.id()));
    if (acknowledged(answer, 200)) {
      addedMembers.computeIfAbsent(channelId, id -> ConcurrentHashMap.newKeySet()).add(next.id());
    }
  }

  private void createChannel(User user, int userIndex, int i) {
    String name = "crash-made-" + userIndex + "-" + i;
    channelsSent.incrementAndGet();
    HttpResponse<Buffer> answer = call(HttpMethod.POST, "/api/chat/channels", user,
        new JsonObject().put("name", name).put("type", "private"));
    if (acknowledged(answer, 201)) {
      String id = answer.bodyAsJsonObject().getJsonObject("channel").getString("id");
      createdChannels.put(id, name);
      channelCreators.put(id, user);
      lastChannels.put(userIndex, id);
    }
  }

  /** Creates an incoming hook on the client's last channel, or revokes the one it created. */
  private void toggleHook(User user, int userIndex) {
    Hook live = liveHooks.remove(userIndex);
    if (live == null) {
      String channelId = lastChannels.get(userIndex);
      if (channelId == null) {
        return;
      }
      hooksSent.incrementAndGet();
      HttpResponse<Buffer> answer = call(HttpMethod.POST, "/api/chat/channels/" + channelId + "/hooks", user,
          new JsonObject().put("name", "Crash Hook"));
      if (acknowledged(answer, 201)) {
        JsonObject created = answer.bodyAsJsonObject();
        Hook hook = new Hook(channelId, created.getJsonObject("hook").getString("id"), created.getString("token"));
        hooks.put(hook.token(), true);
        liveHooks.put(userIndex, hook);
      }
      return;
    }
    hooks.remove(live.token());
    hooksSent.incrementAndGet();
    HttpResponse<Buffer> answer = call(HttpMethod.DELETE, "/api/chat/channels/" + live.channelId() + "/hooks/"
        + live.id(), user, null);
    if (acknowledged(answer, 200)) {
      hooks.put(live.token(), false);
    }
  }

  boolean acknowledged(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() == status) {
      return true;
    }
    refused.incrementAndGet();
    refusedByStatus.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
    return false;
  }

  /** Waits (at most {@code seconds}) until {@code /health/ready} answers 200 on {@code gatewayPort}. */
  void awaitReady(int gatewayPort, int seconds) {
    port = gatewayPort;
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String last = "nothing";
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpResponse<Buffer> response = call(HttpMethod.GET, "/health/ready", null, null);
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.bodyAsString();
      } catch (Exception noAnswer) {
        last = "no answer: " + noAnswer;
      }
      NodeProcess.sleep(250);
    }
    throw new AssertionError("/health/ready on port " + gatewayPort + " never answered 200; last: " + last);
  }

  /**
   * After a service node died: waits (at most {@code seconds}) until the gateway on {@code gatewayPort} answers 503,
   * i.e. the cluster has dropped the dead member. Returns whether it did.
   */
  boolean awaitUnavailable(int gatewayPort, int seconds) {
    port = gatewayPort;
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (call(HttpMethod.GET, "/api/auth/me", owner, null).statusCode() == 503) {
          return true;
        }
      } catch (Exception noAnswer) {
        // the gateway is not the node that died; keep asking
      }
      NodeProcess.sleep(250);
    }
    return false;
  }

  /** Waits (at most {@code seconds}) until the messages service answers through the gateway on {@code gatewayPort}. */
  void awaitServing(int gatewayPort, int seconds) {
    port = gatewayPort;
    getWithRetry("/api/chat/channels/" + channel + "/messages?limit=1", seconds);
  }

  /** Reads everything back through the gateway on {@code gatewayPort} and compares it with what was acknowledged. */
  Report verify(int gatewayPort) {
    port = gatewayPort;
    Map<String, JsonObject> stored = new HashMap<>();
    String before = null;
    int pages = 0;
    do {
      JsonObject page = getWithRetry("/api/chat/channels/" + channel + "/messages?limit=100"
          + (before == null ? "" : "&before=" + before), 20);
      JsonArray list = page.getJsonArray("messages");
      list.forEach(m -> stored.put(((JsonObject) m).getString("id"), (JsonObject) m));
      before = page.getBoolean("has_more") && !list.isEmpty() ? list.getJsonObject(list.size() - 1).getString("id") : null;
    } while (before != null && ++pages < 500);

    int found = 0;
    int wrongContent = 0;
    int edited = 0;
    int editsFound = 0;
    List<String> lost = new ArrayList<>();
    List<String> deletesWrong = new ArrayList<>();
    int deletesSettled = 0;
    for (Map.Entry<String, Expected> entry : messages.entrySet()) {
      JsonObject message = stored.get(entry.getKey());
      Expected expected = entry.getValue();
      if (expected.deleteSent) {
        // Checked as a delete: gone if the delete was answered, either way if it was in flight at the kill.
        deletesSettled += expected.deleted ? 1 : 0;
        if (expected.deleted && message != null) {
          deletesWrong.add(entry.getKey() + " was acknowledged deleted, is in the history");
        } else if (message == null || expected.accepts(message.getString("content"))) {
          found++;
        } else {
          wrongContent++;
        }
        continue;
      }
      edited += expected.edited ? 1 : 0;
      if (message == null) {
        lost.add(entry.getKey());
      } else if (expected.accepts(message.getString("content"))) {
        found++;
        editsFound += expected.edited ? 1 : 0;
      } else {
        wrongContent++;
      }
    }

    int reactionsFound = 0;
    int reactionsChecked = 0;
    for (String reaction : reactions) {
      String[] parts = reaction.split(" ", 3);
      if (messages.get(parts[0]).deleteSent) {
        continue; // a deleted message keeps no reactions
      }
      reactionsChecked++;
      JsonObject message = stored.get(parts[0]);
      if (message != null && hasReaction(message, parts[1], parts[2])) {
        reactionsFound++;
      }
    }

    Map<String, Instant> storedReads = new HashMap<>();
    JsonObject readBy = getWithRetry("/api/chat/messages/" + seedMessage + "/read-by", 20);
    readBy.getJsonArray("users").forEach(u -> storedReads.put(((JsonObject) u).getString("id"),
        Instant.parse(((JsonObject) u).getString("last_read_at"))));
    int readersFound = 0;
    List<String> readsBehind = new ArrayList<>();
    for (Map.Entry<String, Instant> read : reads.entrySet()) {
      Instant after = storedReads.get(read.getKey());
      // The store keeps milliseconds; the acknowledgement may carry more digits.
      if (after != null && !after.isBefore(read.getValue().truncatedTo(ChronoUnit.MILLIS))) {
        readersFound++;
      } else {
        readsBehind.add(read.getKey() + " acknowledged " + read.getValue() + ", after restart " + after);
      }
    }

    // The event log: every acknowledged send's new_message event can be resumed, in strictly increasing seq order
    // (the event's durable log write is what made the send's staged writes durable).
    Set<String> logged = new java.util.HashSet<>();
    Set<String> deletedEvents = new java.util.HashSet<>();
    int outOfOrder = 0;
    long afterSeq = 0;
    for (int page = 0; page < 200; page++) {
      JsonObject events = getWithRetry("/api/chat/channels/" + channel + "/events?after_seq=" + afterSeq
          + "&limit=500", 20);
      JsonArray list = events.getJsonArray("events");
      for (int i = 0; i < list.size(); i++) {
        JsonObject event = list.getJsonObject(i);
        long seq = event.getLong("seq");
        outOfOrder += seq <= afterSeq ? 1 : 0;
        afterSeq = Math.max(afterSeq, seq);
        if ("new_message".equals(event.getString("type"))) {
          logged.add(event.getString("messageId"));
        } else if ("message_deleted".equals(event.getString("type"))) {
          deletedEvents.add(event.getString("messageId"));
        }
      }
      if (!events.getBoolean("has_more") || list.isEmpty()) {
        break;
      }
    }
    // The counters: the owner sent only the seed and never marked the channel read, so its unread count should be
    // every stored message but the seed. Sends in flight at the kill may have been stored without being counted, or
    // counted without being stored; the restarted node's counter audit corrects that in the background (after its
    // settle time), so the count is read until it is right or 30 s have passed.
    long countDeadline = System.currentTimeMillis() + 30_000;
    int unreadDrift = ownerUnread() - (stored.size() - 1);
    while (unreadDrift != 0 && System.currentTimeMillis() < countDeadline) {
      NodeProcess.sleep(250);
      unreadDrift = ownerUnread() - (stored.size() - 1);
    }

    List<String> eventsMissing = new ArrayList<>();
    messages.forEach((id, expected) -> {
      if (expected.deleted && !deletedEvents.contains(id)) {
        eventsMissing.add(id + " (message_deleted)");
      } else if (!expected.deleteSent && !logged.contains(id)) {
        eventsMissing.add(id); // a deleted message's new_message is left out of the resumed events
      }
    });

    // Memberships: every user whose last answer settled it is in the churn channel exactly when that answer said so.
    Set<String> members = memberIds(getWithRetry("/api/chat/channels/" + churnChannel, 20).getJsonObject("channel"));
    List<String> membershipsWrong = new ArrayList<>();
    memberships.forEach((userId, member) -> {
      if (member != members.contains(userId)) {
        membershipsWrong.add(userId + (member ? " was acknowledged in, is out" : " was acknowledged out, is in"));
      }
    });

    // Thread replies, read from the thread page (the thread index alone answers it): every acknowledged one there with
    // its content. The root's reply_count is raised after a reply is stored and before it is answered, so it lies
    // between the acknowledged and the stored replies.
    Map<String, String> storedReplies = new HashMap<>();
    String after = null;
    for (int page = 0; page < 50; page++) {
      JsonObject thread = getWithRetry("/api/chat/messages/" + seedMessage + "/replies?limit=1000"
          + (after == null ? "" : "&after=" + after), 20);
      JsonArray list = thread.getJsonArray("replies");
      list.forEach(r -> storedReplies.put(((JsonObject) r).getString("id"), ((JsonObject) r).getString("content")));
      if (!thread.getBoolean("has_more") || list.isEmpty()) {
        break;
      }
      after = list.getJsonObject(list.size() - 1).getString("id");
    }
    int repliesFound = (int) replies.entrySet().stream()
        .filter(reply -> reply.getValue().equals(storedReplies.get(reply.getKey()))).count();
    int replyCount = stored.get(seedMessage).getInteger("reply_count", -1);

    // Pins, read from the pinned list (the pinned index alone answers it) and from the messages themselves: every
    // settled pin as answered, and the list exactly the stored messages that say they are pinned.
    JsonObject pinnedPage = getWithRetry("/api/chat/channels/" + channel + "/pins", 20);
    Set<String> listed = new java.util.HashSet<>();
    pinnedPage.getJsonArray("messages").forEach(m -> listed.add(((JsonObject) m).getString("id")));
    List<String> pinsWrong = new ArrayList<>();
    pins.forEach((id, pinned) -> {
      JsonObject message = stored.get(id);
      if (message == null || pinned != listed.contains(id) || pinned != message.getBoolean("is_pinned")) {
        pinsWrong.add(id + (pinned ? " was acknowledged pinned" : " was acknowledged unpinned") + ": listed="
            + listed.contains(id) + ", message says " + (message == null ? "absent" : message.getValue("is_pinned")));
      }
    });
    List<String> pinIndexDisagreements = new ArrayList<>();
    stored.forEach((id, message) -> {
      if (message.getBoolean("is_pinned", false) != listed.contains(id)) {
        pinIndexDisagreements.add(id + " is_pinned=" + message.getValue("is_pinned") + ", listed="
            + listed.contains(id));
      }
    });
    if (pinnedPage.getBoolean("has_more")) {
      pinIndexDisagreements.add("the pinned list has more than one page");
    }

    List<Settled> more = new ArrayList<>(List.of(
        new Settled("deletes", deletesSent.get(), deletesSettled, deletesWrong),
        verifyDirectMessages(), verifyBookmarks(), verifyUploads()));
    Map<String, JsonObject> created = createdChannelsNow();
    more.addAll(List.of(verifyChannels(created), verifyMemberAdds(created), verifyHooks()));
    more.addAll(accounts.verify());

    Collections.sort(lost);
    Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
    refusedByStatus.forEach((status, count) -> byStatus.put(status, count.get()));
    return new Report(sends.get(), messages.size(), found, wrongContent, lost, readsBehind,
        messages.size() - eventsMissing.size(), eventsMissing, outOfOrder, unreadDrift,
        reactionsSent.get(), reactionsChecked, reactionsFound,
        readsSent.get(), reads.size(), readersFound,
        editsSent.get(), edited, editsFound,
        membershipsSent.get(), memberships.size(), membershipsWrong,
        repliesSent.get(), replies.size(), repliesFound, replyCount, storedReplies.size(),
        pinsSent.get(), pins.size(), pinsWrong, pinIndexDisagreements, more,
        unanswered.get(), refused.get(), byStatus, acknowledgedInLastSecond, loadMillis);
  }

  /** Every acknowledged direct message in its conversation with the owner, with its content. */
  private Settled verifyDirectMessages() {
    Map<String, String> stored = new HashMap<>();
    for (User user : users) {
      String before = null;
      for (int page = 0; page < 100; page++) {
        JsonObject answer = getWithRetry("/api/dm/users/" + user.id() + "/messages?limit=100"
            + (before == null ? "" : "&before=" + before), 20);
        JsonArray list = answer.getJsonArray("messages");
        list.forEach(m -> stored.put(((JsonObject) m).getString("id"), ((JsonObject) m).getString("content")));
        if (!answer.getBoolean("has_more", false) || list.isEmpty()) {
          break;
        }
        before = list.getJsonObject(list.size() - 1).getString("id");
      }
    }
    List<String> wrong = new ArrayList<>();
    directMessages.forEach((id, content) -> {
      if (!content.equals(stored.get(id))) {
        wrong.add(id + " acknowledged \"" + content + "\", after restart " + stored.get(id));
      }
    });
    return new Settled("direct messages", directSent.get(), directMessages.size(), wrong);
  }

  /** Each user's bookmarks list holds exactly the messages whose last answered toggle said bookmarked. */
  private Settled verifyBookmarks() {
    Map<String, Set<String>> listed = new HashMap<>();
    for (User user : users) {
      Set<String> ids = new java.util.HashSet<>();
      getWithRetry("/api/chat/bookmarks", 20, user).getJsonArray("messages")
          .forEach(m -> ids.add(((JsonObject) m).getString("id")));
      listed.put(user.id(), ids);
    }
    List<String> wrong = new ArrayList<>();
    int settled = 0;
    for (Map.Entry<String, Boolean> entry : bookmarks.entrySet()) {
      String[] key = entry.getKey().split(" ", 2);
      if (messages.get(key[1]).deleteSent) {
        continue; // the list shows only visible messages
      }
      settled++;
      if (entry.getValue() != listed.get(key[0]).contains(key[1])) {
        wrong.add(entry.getKey() + " was acknowledged " + (entry.getValue() ? "bookmarked" : "not bookmarked"));
      }
    }
    return new Settled("bookmark toggles", bookmarksSent.get(), settled, wrong);
  }

  /** Every acknowledged upload is served to its uploader with the bytes sent. */
  private Settled verifyUploads() {
    List<String> wrong = new ArrayList<>();
    uploads.forEach((filename, upload) -> {
      HttpResponse<Buffer> response = getFile("/api/files/" + filename, users.get(upload.userIndex()));
      if (response.statusCode() != 200 || !upload.content().equals(response.bodyAsString())) {
        wrong.add(filename + ": " + response.statusCode() + " " + response.bodyAsString());
      }
    });
    return new Settled("uploads", uploadsSent.get(), uploads.size(), wrong);
  }

  /** Each acknowledged channel as its creator reads it after the restart (absent when it is not there). */
  private Map<String, JsonObject> createdChannelsNow() {
    Map<String, JsonObject> now = new HashMap<>();
    createdChannels.keySet().forEach(id -> {
      HttpResponse<Buffer> answer = call(HttpMethod.GET, "/api/chat/channels/" + id, channelCreators.get(id), null);
      if (answer.statusCode() == 200) {
        now.put(id, answer.bodyAsJsonObject().getJsonObject("channel"));
      }
    });
    return now;
  }

  /** The user ids in a channel's {@code members}. */
  private static Set<String> memberIds(JsonObject channel) {
    Set<String> ids = new java.util.HashSet<>();
    channel.getJsonArray("members", new JsonArray()).forEach(m -> ids.add(((JsonObject) m).getString("user_id")));
    return ids;
  }

  /** Every acknowledged channel is there, with its name and its creator as a member. */
  private Settled verifyChannels(Map<String, JsonObject> now) {
    List<String> wrong = new ArrayList<>();
    createdChannels.forEach((id, name) -> {
      JsonObject channel = now.get(id);
      if (channel == null || !name.equals(channel.getString("name"))
          || !memberIds(channel).contains(channelCreators.get(id).id())) {
        wrong.add(id + " (" + name + "): " + (channel == null ? "not found" : channel.encode()));
      }
    });
    return new Settled("channel creations", channelsSent.get(), createdChannels.size(), wrong);
  }

  /** Every acknowledged addition is a member of the channel (a lost channel is the channel creations' finding too). */
  private Settled verifyMemberAdds(Map<String, JsonObject> now) {
    List<String> wrong = new ArrayList<>();
    int settled = 0;
    for (Map.Entry<String, Set<String>> channel : addedMembers.entrySet()) {
      JsonObject found = now.get(channel.getKey());
      Set<String> members = found == null ? Set.of() : memberIds(found);
      settled += channel.getValue().size();
      channel.getValue().stream().filter(userId -> !members.contains(userId))
          .forEach(userId -> wrong.add(userId + " is not a member of " + channel.getKey()));
    }
    return new Settled("member additions", memberAddsSent.get(), settled, wrong);
  }

  /** Every hook posts if its creation was the last answer about it, and is refused (404) if its revocation was. */
  private Settled verifyHooks() {
    List<String> wrong = new ArrayList<>();
    hooks.forEach((token, usable) -> {
      int status = call(HttpMethod.POST, "/hooks/" + token, null, new JsonObject().put("text", "after the restart"))
          .statusCode();
      if (usable ? status != 200 : status != 404) {
        wrong.add("a hook acknowledged " + (usable ? "created" : "revoked") + " answered " + status);
      }
    });
    return new Settled("hook creations and revocations", hooksSent.get(), hooks.size(), wrong);
  }

  /** The crash channel's unread count in the owner's channel list (-1 when it is not listed). */
  private int ownerUnread() {
    for (Object item : getWithRetry("/api/chat/channels", 20).getJsonArray("channels")) {
      if (item instanceof JsonObject listed && channel.equals(listed.getString("id"))) {
        return listed.getInteger("unreadCount", -1);
      }
    }
    return -1;
  }

  /**
   * Prints the counts on one line, then asserts that the load meant something (enough acknowledged sends, reactions
   * and read positions) and that everything acknowledged survived.
   */
  void assertDurable(Report report, String label) {
    String line = report.line(label);
    System.out.println(line);
    assertAll(line,
        () -> assertTrue(report.acknowledged() >= 50,
            "too little load to test anything: non-2xx by status " + refusals()),
        () -> assertTrue(report.reactionsAcknowledged() > 0, "no reaction acknowledged"),
        () -> assertTrue(report.readersAcknowledged() > 0, "no read acknowledged"),
        () -> assertEquals(report.acknowledged(), report.found(),
            "acknowledged messages lost or changed (" + report.lost().size() + " lost, first: "
                + report.lost().subList(0, Math.min(5, report.lost().size())) + ")"),
        () -> assertEquals(List.of(), report.eventsMissing(), "acknowledged sends whose event cannot be resumed"),
        () -> assertEquals(0, report.seqsOutOfOrder(), "resumed events not in increasing seq order"),
        () -> assertEquals(0, report.unreadDrift(),
            "the channel's counters disagree with its stored messages 30 s after the restart"),
        () -> assertEquals(report.reactionsAcknowledged(), report.reactionsFound(),
            "acknowledged reactions lost"),
        () -> assertEquals(report.readersAcknowledged(), report.readersFound(),
            "acknowledged read positions went back: " + report.readsBehind()),
        () -> assertEquals(report.editsAcknowledged(), report.editsFound(),
            "acknowledged edits lost"),
        () -> assertTrue(report.membershipsKnown() > 0, "no join or leave answered"),
        () -> assertEquals(List.of(), report.membershipsWrong(), "acknowledged joins or leaves lost"),
        () -> assertTrue(report.repliesAcknowledged() > 0, "no reply acknowledged"),
        () -> assertEquals(report.repliesAcknowledged(), report.repliesFound(),
            "acknowledged replies missing from the thread page"),
        () -> assertTrue(report.replyCount() >= report.repliesAcknowledged()
                && report.replyCount() <= report.repliesStored(),
            "the root's reply_count is outside [acknowledged replies, stored replies]"),
        () -> assertTrue(report.pinsKnown() > 0, "no pin or unpin answered"),
        () -> assertEquals(List.of(), report.pinsWrong(), "acknowledged pins or unpins lost"),
        () -> assertEquals(List.of(), report.pinIndexDisagreements(),
            "the pinned list disagrees with the messages' own is_pinned"),
        () -> assertAll(report.more().stream().map(kind -> () -> {
          assertTrue(kind.settled() > 0, "no " + kind.kind() + " acknowledged");
          assertEquals(List.of(), kind.wrong(), "acknowledged " + kind.kind() + " lost");
        })));
  }

  /** Non-2xx answers by status, for failure messages. */
  String refusals() {
    return refusedByStatus.toString();
  }

  private static boolean hasReaction(JsonObject message, String userId, String emoji) {
    JsonArray list = message.getJsonArray("reactions", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      JsonObject reaction = list.getJsonObject(i);
      if (emoji.equals(reaction.getString("emoji")) && reaction.getJsonArray("users", new JsonArray()).contains(userId)) {
        return true;
      }
    }
    return false;
  }

  /** A GET as the owner, repeated on no answer / 502 / 503 / 504 (a service still joining) for at most {@code seconds}. */
  private JsonObject getWithRetry(String path, int seconds) {
    return getWithRetry(path, seconds, owner);
  }

  JsonObject getWithRetry(String path, int seconds, User as) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String last;
    do {
      try {
        HttpResponse<Buffer> response = call(HttpMethod.GET, path, as, null);
        if (response.statusCode() == 200) {
          return response.bodyAsJsonObject();
        }
        last = response.statusCode() + " " + response.bodyAsString();
        if (response.statusCode() < 502 || response.statusCode() > 504) {
          break;
        }
      } catch (Exception noAnswer) {
        last = "no answer: " + noAnswer;
      }
      NodeProcess.sleep(250);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError("GET " + path + " on port " + port + " never answered 200; last: " + last);
  }

  User signUp(String email, String name) {
    JsonObject registered = expect(201, call(HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("email", email).put("password", PASSWORD).put("name", name)));
    JsonObject login = expect(200, call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("email", email).put("password", PASSWORD)));
    return new User(registered.getJsonObject("user").getString("id"), login.getString("token"));
  }

  private static JsonObject expect(int status, HttpResponse<Buffer> response) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + ", got " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, User as, JsonObject body) {
    HttpRequest<Buffer> request = http.request(method, port, "127.0.0.1", path).timeout(REQUEST_TIMEOUT_MS);
    if (as != null) {
      request.bearerTokenAuthentication(as.token());
    }
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  @Override
  public void close() {
    stop = true;
    vertx.close().await();
  }
}
