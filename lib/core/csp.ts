// The Content-Security-Policy of every response (proxy.ts): scripts run only with this request's
// nonce ('strict-dynamic' lets the scripts Next loads load their chunks), never inline without it;
// 'unsafe-eval' only in development, where React's tooling needs it. Styles stay 'unsafe-inline'
// (React's style attributes).

export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
