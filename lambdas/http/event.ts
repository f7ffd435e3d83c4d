import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Bodies larger than this are refused with 413 before anything else reads them. Twilio's are < 10 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The parts of an API Gateway HTTP API (payload 2.0) event the hotline uses, decoded. */
export interface HttpRequest {
  method: string;
  /** Path as the client called it: the route's path, since the stack serves only the `$default` stage at the root. */
  rawPath: string;
  /** Query string exactly as sent, without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Body as text (base64 decoded). */
  body: string;
  bodyBytes: number;
}

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string; headers: Record<string, string> };

export function decodeEvent(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const rawPath = event.rawPath || '/';
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    rawPath,
    rawQuery: event.rawQueryString ?? '',
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body: bytes.toString('utf8'),
    bodyBytes: bytes.length,
  };
}

/** Parses an application/x-www-form-urlencoded body; never throws (bad escapes are kept as text). */
export function parseForm(body: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  return params;
}

export function textResponse(statusCode: number, body: string, contentType = 'text/plain; charset=utf-8'): HttpResponse {
  return { statusCode, headers: { 'content-type': contentType }, body };
}

export function twimlResponse(xml: string): HttpResponse {
  return textResponse(200, xml, 'text/xml; charset=utf-8');
}
