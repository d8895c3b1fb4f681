// The proxy variables route the action's fetch through a forward proxy (a real one on loopback
// that records the tunnels it is asked for, as Node tunnels every request with CONNECT), and
// NO_PROXY keeps hosts out of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { useProxyFromEnv } from "../src/proxy.js";

test("HTTP_PROXY routes fetch through the proxy; NO_PROXY is honoured", async () => {
  const tunnels = [];
  // What answers inside a tunnel: it stands for the registry behind the proxy.
  const behind = http.createServer((req, res) => res.end(`via proxy ${req.url}`));
  const proxy = http.createServer((req, res) => res.writeHead(405).end());
  proxy.on("connect", (req, socket) => {
    tunnels.push(req.url);
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    behind.emit("connection", socket);
  });
  const direct = http.createServer((req, res) => res.end("direct"));
  await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
  await new Promise((r) => direct.listen(0, "127.0.0.1", r));
  try {
    assert.equal(useProxyFromEnv({}), null, "nothing set: nothing done");
    const done = useProxyFromEnv({
      HTTP_PROXY: `http://127.0.0.1:${proxy.address().port}`,
      NO_PROXY: "127.0.0.1",
    });
    assert.equal(done, "proxy");
    const viaProxy = await fetch("http://registry.example.test/v2/", { signal: AbortSignal.timeout(5000) });
    assert.equal(await viaProxy.text(), "via proxy /v2/");
    assert.deepEqual(tunnels, ["registry.example.test:80"]);
    // NO_PROXY: straight to the host.
    const straight = await fetch(`http://127.0.0.1:${direct.address().port}/`, { signal: AbortSignal.timeout(5000) });
    assert.equal(await straight.text(), "direct");
    assert.equal(tunnels.length, 1);
  } finally {
    http.setGlobalProxyFromEnv({});
    proxy.closeAllConnections();
    direct.closeAllConnections();
    behind.closeAllConnections();
    proxy.close();
    direct.close();
    behind.close();
  }
});
