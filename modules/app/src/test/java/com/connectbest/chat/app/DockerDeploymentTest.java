package com.connectbest.chat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** What can be checked of docker/ without a Docker engine: structure, pinning, and settings the app really reads. */
class DockerDeploymentTest {

  static final Path ROOT = Path.of("..", "..");
  private static final Set<String> AWS_CHAIN = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws IOException {
    return new Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> services() throws IOException {
    return (Map<String, Object>) compose().get("services");
  }

  @Test
  @DisplayName("the compose file has the store, object storage, mail catcher, three nodes, a load balancer and monitoring")
  void allServices() throws IOException {
    assertTrue(services().keySet().containsAll(List.of("mongo", "minio", "mailpit", "chat1", "chat2", "chat3", "lb",
            "prometheus", "grafana")),
        services().keySet().toString());
  }

  @Test
  @DisplayName("every image is pinned to an explicit version")
  @SuppressWarnings("unchecked")
  void pinnedImages() throws IOException {
    Pattern pinned = Pattern.compile("[a-z0-9./-]+:[A-Za-z0-9._-]+");
    services().forEach((name, value) -> {
      Object image = ((Map<String, Object>) value).get("image");
      if (image != null) {
        assertTrue(pinned.matcher(image.toString()).matches(), name + " image " + image);
        assertFalse(image.toString().endsWith(":latest"), name + " uses latest");
      }
    });
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(Files.readString(ROOT.resolve("docker/Dockerfile")));
    int stages = 0;
    while (from.find()) {
      stages++;
      assertTrue(pinned.matcher(from.group(1)).matches() && !from.group(1).endsWith(":latest"), from.group(1));
    }
    assertEquals(2, stages, "a build stage and a runtime stage");
  }

  @Test
  @DisplayName("every setting passed to the chat nodes is one the app reads, and the nodes list each other")
  @SuppressWarnings("unchecked")
  void settingsAreReal() throws IOException {
    Set<String> known = new JsonObject(Files.readString(ROOT.resolve("conf/config.json"))).fieldNames();
    for (String node : List.of("chat1", "chat2", "chat3")) {
      Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services().get(node))
          .get("environment");
      environment.keySet().forEach(name -> assertTrue(known.contains(name) || AWS_CHAIN.contains(name),
          node + " passes " + name + ", which is not a setting of the app"));
      String host = environment.get("CLUSTER_HOST").toString();
      assertTrue(environment.get("CLUSTER_MEMBERS").toString().contains(host), node + " is not in its member list");
      assertEquals("true", environment.get("CLUSTER").toString());
    }
  }

  @Test
  @DisplayName("the image runs as a non-root user with a health check")
  void dockerfile() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
    assertTrue(user.find(), "no USER");
    assertFalse(Set.of("root", "0").contains(user.group(1)));
    assertTrue(dockerfile.matches("(?s).*HEALTHCHECK.*http://127\\.0\\.0\\.1:5001/health/ready.*"), "not on readiness");
  }

  @Test
  @DisplayName("every node has a memory limit, and the image's heap is a share of it from the start")
  @SuppressWarnings("unchecked")
  void boundedHeap() throws IOException {
    services().forEach((name, service) -> {
      if (name.startsWith("chat")) {
        Object limit = ((Map<String, Object>) service).get("mem_limit");
        assertTrue(limit != null && String.valueOf(limit).matches("\\$\\{CHAT_NODE_MEMORY:-\\d+[mg]}"),
            name + " has no memory limit: " + limit);
      }
    });
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    Matcher entry = Pattern.compile("(?s)ENTRYPOINT \\[(.*?)]").matcher(dockerfile);
    assertTrue(entry.find(), "no ENTRYPOINT");
    Matcher max = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(entry.group(1));
    Matcher initial = Pattern.compile("InitialRAMPercentage=(\\d+)").matcher(entry.group(1));
    assertTrue(max.find() && initial.find(), "heap not sized from the limit: " + entry.group(1));
    assertEquals(max.group(1), initial.group(1), "the heap should start at its size");
  }

  @Test
  @DisplayName("Prometheus scrapes every node's /metrics, which the load balancer keeps private")
  void monitoring() throws IOException {
    String prometheus = Files.readString(ROOT.resolve("docker/prometheus.yml"));
    assertTrue(prometheus.contains("metrics_path: /metrics"));
    for (String node : List.of("chat1:5001", "chat2:5001", "chat3:5001")) {
      assertTrue(prometheus.contains("\"" + node + "\""), node + " is not scraped");
    }
    assertTrue(Files.readString(ROOT.resolve("docker/nginx.conf")).contains("location = /metrics"));
    JsonObject dashboard = new JsonObject(Files.readString(ROOT.resolve("docker/grafana/dashboards/connectbest-chat.json")));
    assertTrue(dashboard.getJsonArray("panels").size() >= 8);
  }

  @Test
  @DisplayName("the load balancer upgrades WebSockets, keeps SockJS sessions sticky and allows 50 MB uploads")
  void loadBalancer() throws IOException {
    String nginx = Files.readString(ROOT.resolve("docker/nginx.conf"));
    assertTrue(nginx.contains("proxy_set_header Upgrade $http_upgrade"));
    assertTrue(nginx.matches("(?s).*\\b(hash \\$remote_addr consistent|ip_hash);.*"), "not sticky");
    assertTrue(nginx.contains("client_max_body_size 50m"));
    for (String node : List.of("chat1:5001", "chat2:5001", "chat3:5001")) {
      assertTrue(nginx.contains("server " + node + ";"), node);
    }
  }

  @Test
  @DisplayName("the nodes trust exactly the load balancer, which blanks identity headers and appends the client address")
  @SuppressWarnings("unchecked")
  void trustedProxy() throws IOException {
    Map<String, Object> lb = (Map<String, Object>) services().get("lb");
    String address = ((Map<String, Map<String, Object>>) lb.get("networks")).get("chat").get("ipv4_address").toString();
    for (String node : List.of("chat1", "chat2", "chat3")) {
      Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) services().get(node))
          .get("environment");
      assertEquals(address + "/32", environment.get("TRUSTED_PROXIES"), node);
    }
    String nginx = Files.readString(ROOT.resolve("docker/nginx.conf"));
    int locations = nginx.split("proxy_pass http://chat;", -1).length - 1;
    for (String header : List.of("X-User-ID", "X-User-Email", "X-User-Role", "X-Proxy-Secret")) {
      assertEquals(locations, nginx.split("proxy_set_header " + header + " \"\";", -1).length - 1,
          header + " must be blanked in every proxied location");
    }
    assertEquals(locations, nginx.split("X-Forwarded-For \\$proxy_add_x_forwarded_for;", -1).length - 1);
  }
}
