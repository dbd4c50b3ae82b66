// The ECS instance metadata service, as far as agency keys go: `PUT
// /meta-data/latest/api/token` (a session token, IMDSv2 style) and `GET
// /openstack/latest/securitykey` (temporary AK/SK with a security token). Served on the
// simulator's own loopback address; clients reach it through HW_ECS_METADATA_ENDPOINT.
import { reply, type Call } from "../call";

const MAX_TTL_SECONDS = 21_600;

function text(call: Call, status: number, body: string): void {
  reply(call.res, status, body, { "Content-Type": "text/plain" });
}

export function metadataToken(call: Call): void {
  const { req, state, entry } = call;
  entry.authMode = "none";
  call.discardBody();
  const ecs = state.auth.ecsMetadata;
  if (!ecs || !ecs.tokenService) return text(call, 404, "Not Found");
  if (req.method !== "PUT") return text(call, 405, "Method Not Allowed");
  const ttl = Number(req.headers["x-metadata-token-ttl-seconds"]);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    return text(call, 400, `X-Metadata-Token-Ttl-Seconds must be 1 to ${MAX_TTL_SECONDS}`);
  }
  text(call, 200, state.tokens.temporary.issueSessionToken(ttl * 1000));
}

export function securityKey(call: Call): void {
  const { req, state, entry } = call;
  call.discardBody();
  const ecs = state.auth.ecsMetadata;
  if (!ecs) return text(call, 404, "Not Found");
  if (req.method !== "GET") return text(call, 405, "Method Not Allowed");
  const session = req.headers["x-metadata-token"];
  entry.authMode = typeof session === "string" ? "token" : "missing";
  if (ecs.tokenService) {
    if (typeof session !== "string" || !state.tokens.temporary.checkSessionToken(session)) {
      return text(call, 401, "Unauthorized: a valid X-Metadata-Token is required");
    }
  }
  if (!ecs.agency) {
    return call.send(401, { error: { message: "Please configure Cloud Service Agency first" } });
  }
  call.send(200, state.tokens.temporary.issueCredential("ecs"));
}
