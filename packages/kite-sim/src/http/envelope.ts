import type { ServerResponse } from 'node:http';
import type { KiteApiError } from './kite-api-error.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;

/** Writes `{"status":"success","data":…}` with `Content-Type: application/json`. */
export function writeSuccess(response: ServerResponse, data: unknown, status = 200): void {
  const body = `{"status":"success","data":${JSON.stringify(data ?? null)}}`;
  response.writeHead(status, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** The error envelope as a string: `{"status":"error","message":…,"data":…,"error_type":…}`. */
export function errorBody(message: string, errorType: string, data: unknown = null): string {
  return JSON.stringify({ status: 'error', message, data, error_type: errorType });
}

/** Writes a Kite error envelope with the error's HTTP status. */
export function writeError(response: ServerResponse, error: KiteApiError): void {
  const body = errorBody(error.message, error.errorType, error.data);
  response.writeHead(error.httpStatus, { ...JSON_HEADERS, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * Writes a CSV body with `Content-Type` exactly `text/csv`: kiteconnect parses instrument dumps only
 * when the header equals that string (a `; charset=utf-8` suffix makes it return the raw text).
 */
export function writeCsv(response: ServerResponse, csv: string): void {
  response.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(csv) });
  response.end(csv);
}

/** Writes an HTML error page, like the gateway in front of the real API does for a 502/503/504. */
export function writeHtmlError(response: ServerResponse, status: number, statusText: string): void {
  const body = `<html><head><title>${status} ${statusText}</title></head><body><center><h1>${status} ${statusText}</h1></center></body></html>`;
  response.writeHead(status, statusText, {
    'Content-Type': 'text/html',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}
