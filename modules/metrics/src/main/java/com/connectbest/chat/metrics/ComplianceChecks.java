package com.connectbest.chat.metrics;

import com.connectbest.chat.common.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The documented checklist behind the compliance score: each check reads this deployment's settings; the score is
 * the weighted share of passed checks (0–100).
 */
final class ComplianceChecks {

  record Check(String name, boolean passed, double weight) {
  }

  private ComplianceChecks() {
  }

  static List<Check> evaluate(Settings settings) {
    String secret = settings.jwtSecret();
    List<String> proxies = settings.list("TRUSTED_PROXIES");
    Object limits = settings.json("RATE_LIMITS");
    return List.of(
        new Check("JWT secret set, not the development default, at least 32 characters",
            !Settings.DEVELOPMENT_SECRET.equals(secret) && secret.length() >= 32, 3),
        new Check("Trusted proxy headers restricted (no catch-all CIDR)",
            proxies.stream().noneMatch(cidr -> cidr.endsWith("/0")), 2),
        new Check("Rate limits configured", !(limits instanceof JsonObject object) || !object.isEmpty(), 2),
        new Check("CORS limited to explicit origins", !settings.list("CORS_ORIGINS").contains("*"), 1),
        new Check("Password hashing cost at least 10", settings.integer("BCRYPT_COST", 10) >= 10, 1),
        new Check("Dedicated key for 2FA secrets (TWO_FACTOR_ENCRYPTION_KEY)",
            settings.string("TWO_FACTOR_ENCRYPTION_KEY", null) != null, 1),
        new Check("Prometheus endpoint protected (METRICS_TOKEN)", settings.string("METRICS_TOKEN", null) != null, 1),
        new Check("Production mode (APP_ENV=production)", "production".equals(settings.string("APP_ENV", null)), 1));
  }

  static double score(List<Check> checks) {
    double total = checks.stream().mapToDouble(Check::weight).sum();
    double passed = checks.stream().filter(Check::passed).mapToDouble(Check::weight).sum();
    return total == 0 ? 100 : Math.round(1000 * passed / total) / 10.0;
  }

  static JsonArray toJson(List<Check> checks) {
    JsonArray array = new JsonArray();
    checks.forEach(c -> array.add(new JsonObject().put("name", c.name()).put("passed", c.passed())
        .put("weight", c.weight())));
    return array;
  }
}
