package com.connectbest.chat.loadtest;

/** The text of {@code --help}. */
final class Help {

  private Help() {
  }

  static String text() {
    return """
        connectbest-loadtest: drives a running ConnectBest Chat deployment over HTTP and the SockJS bridge.

        usage: java -jar connectbest-loadtest.jar MODE [--option value ...]

        modes
          send   N users (--users) in M channels (--channels, --pattern mod|all), one live socket each, post
                 messages at a fixed open-model --rate (messages/s) for --duration with a linear --ramp-up;
                 measures HTTP send latency and fan-out latency to every subscriber, lost and duplicated copies.
                 --no-sockets measures the sends alone.
          idle   hold --connections bridge sockets (the first --users x --sockets-per-user [1] signed in, on
                 their user address and, with --channels, their channels), probe --path at --rate; reports each
                 target's chat_cluster_subscriptions and chat_sockjs_sessions (/metrics, --metrics-token);
                 with --server-pid (server on this machine) reports its heap before/after a full GC via jcmd.
          http   hammer --path (default /api/auth/status): open model at --rate, or closed loop with
                 --concurrency C (C clients, each sends when answered) to find the ceiling.
          team   realistic team profile (below) for --users users; find capacity by raising --users.
          chaos  starts a local 3-node cluster from --jar [modules/app/target/connectbest-chat.jar] (heavy: three
                 JVMs), posts --rate [20] messages/s through all nodes with --subscribers [2] sockets per node,
                 and injects --faults [kill,stop,term] into --victim [c] (SIGKILL then restart, SIGSTOP for --pause
                 [20] s then SIGCONT, SIGTERM then restart), --settle [10] s apart; reports per fault acknowledged,
                 lost, duplicated, deliveries missed (silently / on closed sockets) and time to recover.
                 --failure-timeout [10] sets CLUSTER_FAILURE_TIMEOUT_SECONDS; --out FILE writes the JSON.
          growth does each hot operation stay flat as the store grows? Sets up a measured user in --channels
                 channels (one with --history messages, a thread and 10 pins, --dms conversations, a file another
                 member attached), then per stage of --stages fills the store up to that many messages through the
                 API (filler users posting into filler channels, one message in 1,000 pinned; memberships grow to
                 --memberships at the last stage) and measures history, thread, pins, channels, dms, send, read,
                 reactions, file and search, each with --concurrency clients [8] in a closed loop: --warm-up [3s],
                 then --duration [10s] (or --requests).
                 Prints each operation's ratio to the first stage; --max-growth 1.5 exits 3 above it.
          report rebuild --html (and re-check --slo or --max-growth) from an earlier --in results.json.

        %s

        options (defaults in brackets)
          --targets URLS          comma list of http://host:port; users go round-robin [http://127.0.0.1:5001]
          --users N               users [send 100, team 500, idle 0]      --channels M   channels [10; idle 0]
          --pattern mod|all       user u in channel u mod M, or everyone in every channel [mod]
          --rate R                requests per second [send 100, http 1000, idle probe 5]
          --duration D            load duration incl. ramp-up, e.g. 30s, 2m [30s; team 60s]
          --ramp-up D             linear ramp from 0 to --rate [5s; team 10s; idle 0s]
          --drain D               wait at most this long for answers and events after the load [5s]
          --concurrency C         http mode: closed loop with C clients instead of --rate
          --path P                http/idle: the path to request [/api/auth/status]
          --server-pid PID        idle: the server's pid, for its heap via jcmd (same machine only)
          --in FILE               report: the results file to read
          --connections C         idle: sockets to hold [1000]
          --team-size S           team: users per team channel [25]   --team-speed F  rate multiplier [1]
          --message-bytes B       content size of sent messages [100]
          --send-retries N        retry a send N times, with its Idempotency-Key, after no answer/503/504 [1]
          --slo SPEC              e.g. p99=50ms,loss=0,errors=0.025%% (also p50 p90 p999 max avg, a latency
                                  name prefix such as http.p99 or fanout.p99, duplicates, throughput=500)
          --out FILE              write the results as JSON     --html FILE   write the HTML report
          --prefix P              names of users/channels: P-000000@loadtest.example.com, P-ch-0 [lt]
          --channel-prefix C      name channels C-0, C-1... instead (fresh channels for the same users)
          --password P            password of the test users [LoadTest123]
          --accounts-file FILE    keep tokens between runs (skips bcrypt sign-ins); --fresh-login ignores it
          --timeout D             per request [10s]   --max-in-flight N   client-side cap [20000]
          --client-threads N      event loops of the tool [cores]   --pool-size N  HTTP connections per target [256]
          --setup-concurrency N   parallel sign-ins and joins during setup [16]
          --seed N                team timetable seed [42]   --quiet  no progress lines

        growth options
          --stages LIST           stored messages at which to measure [1000,100000,1000000] (also 1k,100k,1m)
          --max-growth F          highest allowed p50 ratio and throughput-cost ratio to the first stage [off]
          --history N             messages in the measured channel [800]   --dms N  conversations [5]
          --memberships N         filler memberships at the last stage [100000], in proportion before it
          --filler-users N        [200]   --filler-channels N  [500]   (memberships at most users x channels)
          --fill-concurrency N    fill requests in flight [64]   --fill-budget D  total fill time [25m]
          --warm-up D             per operation and stage, not measured [3s]   --requests N  cap per operation
          --settle D              after a fill and after each operation, wait at most D until a thread read
                                  answers within 1 s (work the server still owes is not charged to the next) [3m]
          --stored-before N       messages already in the store (an earlier run's fill), counted towards --stages
          --ops LIST              measure only these operations, e.g. read,reactions,file,search,send [all]

        exit codes: 0 done and objectives met, 1 the run failed, 2 bad usage, 3 an objective (--slo) was missed.
        The server rate-limits sign-ins and sends: start it with relaxed RATE_LIMITS (docs/performance.md).
        """.formatted(TeamPlan.describe());
  }
}
