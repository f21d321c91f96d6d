/** The URL and headers of a request, as the wrappers read them (see request-reader.ts). */
export interface RequestData {
  url: string;
  headers: Headers;
}

export function readRequest(request: Request): RequestData {
  return { url: request.url, headers: request.headers };
}
