package com.connectbest.chat.loadtest;

import io.vertx.core.json.JsonObject;

/** One mode of the tool: prepares, drives the load, and returns the results document. */
interface Scenario {

  JsonObject run(Harness harness) throws InterruptedException;
}
