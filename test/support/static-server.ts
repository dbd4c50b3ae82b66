// A plain static HTTP server on 127.0.0.1 over one folder, as a release page or an
// air-gapped mirror serves the plugin archives: GET <url>/<file name>. It records what was
// asked, so a test can tell that the engine downloaded the plugin itself.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface StaticServer {
  url: string;
  /** Request paths, in order, with the status answered. */
  requests: Array<{ path: string; status: number }>;
  close(): Promise<void>;
}

export async function serveFolder(dir: string): Promise<StaticServer> {
  const requests: StaticServer["requests"] = [];
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(
      /^\/+/,
      "",
    );
    const file = path.join(dir, name);
    const ok =
      req.method === "GET" &&
      name !== "" &&
      !name.includes("/") &&
      existsSync(file) &&
      statSync(file).isFile();
    requests.push({ path: `/${name}`, status: ok ? 200 : 404 });
    if (!ok) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "application/gzip",
      "content-length": statSync(file).size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
