import http from "node:http";

export interface HttpResult {
  status: number;
  contentType: string | undefined;
  text: string;
  json(): unknown;
}

/** A real HTTP GET to 127.0.0.1 (node:http, so the Host header can be set freely). */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, method: "GET", headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: response.statusCode ?? 0, contentType: response.headers["content-type"], text, json: () => JSON.parse(text) });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

/** Test-only "authentication": the x-user header lists the tenant ids the caller belongs to. */
export function userFromHeader(value: string | string[] | undefined): { tenantIds: string[] } | undefined {
  return typeof value === "string" ? { tenantIds: value.split(" ").filter(Boolean) } : undefined;
}
