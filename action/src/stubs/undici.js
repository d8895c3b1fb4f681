// Stands in for the npm package undici in the bundle. @actions/core imports @actions/http-client
// (for OIDC tokens, getIDToken), which imports undici's ProxyAgent: 786 KB of the bundle, about
// 30 ms of every start-up, for code the action never calls (its GitHub requests go through
// @octokit/core and its registry requests through Node's own fetch). Should anything reach it,
// it fails loudly instead of silently doing nothing.
export class ProxyAgent {
  constructor() {
    throw new Error("minicheck's bundle leaves out undici: @actions/http-client is not used");
  }
}
