// Runners behind a proxy set HTTPS_PROXY / HTTP_PROXY / NO_PROXY. Node's fetch ignores them
// unless told; Node 24.14 and later can be told at run time (http.setGlobalProxyFromEnv), so
// registry and GitHub requests go through the proxy as the CLI's do.
import http from "node:http";

const VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/** Routes fetch through the environment's proxy when one is set. Returns what was done, for
 * the log: `null` (no proxy set), `"proxy"` or `"unsupported"` (a Node without the API). */
export function useProxyFromEnv(env = process.env) {
  if (!VARIABLES.some((name) => env[name])) return null;
  if (typeof http.setGlobalProxyFromEnv !== "function") return "unsupported";
  http.setGlobalProxyFromEnv(env);
  return "proxy";
}
