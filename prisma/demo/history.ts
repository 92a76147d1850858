// The demo's story: the commits of main, oldest first, and which of them each stage deployed.
// prisma/demo-repo.ts makes them a git repository; prisma/demo.ts replays the builds, steps, logs
// and a sandbox account.

// main, oldest first. `files`: the services the commit changes -> their template in prisma/demo/.
// A template's `{{code}}` is its code package's folder (here the commit), as Serverless gives every
// package a new S3 key: a code-only change is a new artifact with the same shape.
export const COMMITS: { hoursAgo: number; author: string; message: string; files: Record<string, string> }[] = [
  {
    hoursAgo: 41 * 24 + 6,
    author: "Maya Chen",
    message: "Notes app: database, uploads, notes-api, billing-api, notify-job and frontend",
    files: {
      database: "database.v1.json",
      uploads: "uploads.v1.yml",
      "notes-api": "notes-api.v1.yml",
      "billing-api": "billing-api.v1.json",
      "notify-job": "notify-job.v1.yml",
      frontend: "frontend.yml",
    },
  },
  { hoursAgo: 38 * 24 + 3, author: "Sam Okafor", message: "notes-api: paginate GET /notes", files: { "notes-api": "notes-api.v1.yml" } },
  {
    hoursAgo: 35 * 24 + 5,
    author: "Lena Fischer",
    message: "Enable point-in-time recovery and a title index on the notes table",
    files: { database: "database.v2.json" },
  },
  {
    hoursAgo: 31 * 24 + 2,
    author: "Tomás Rivera",
    message: "billing-api: validate the card token before charging",
    files: { "billing-api": "billing-api.v1.json" },
  },
  { hoursAgo: 28 * 24 + 7, author: "Maya Chen", message: "frontend: show attachment previews", files: { frontend: "frontend.yml" } },
  {
    hoursAgo: 25 * 24 + 4,
    author: "Sam Okafor",
    message: "notify-job: include note titles in the weekly digest",
    files: { "notify-job": "notify-job.v1.yml" },
  },
  {
    hoursAgo: 22 * 24 + 6,
    author: "Lena Fischer",
    message: "Export notes as PDF; allow uploads from the app's domain",
    files: { uploads: "uploads.v2.yml", "notes-api": "notes-api.v2-node12.yml", frontend: "frontend.yml" },
  },
  {
    hoursAgo: 22 * 24 + 3,
    author: "Lena Fischer",
    message: "notes-api: run the export function on nodejs20.x",
    files: { "notes-api": "notes-api.v2.yml" },
  },
  {
    hoursAgo: 17 * 24 + 5,
    author: "Tomás Rivera",
    message: "Upgrade to AWS SDK v3 in every service",
    files: { "notes-api": "notes-api.v2.yml", "billing-api": "billing-api.v1.json", "notify-job": "notify-job.v1.yml" },
  },
  {
    hoursAgo: 12 * 24 + 6,
    author: "Tomás Rivera",
    message: "billing-api: idempotency keys for charges",
    files: { "billing-api": "billing-api.v1.json" },
  },
  { hoursAgo: 8 * 24 + 2, author: "Maya Chen", message: "frontend: dark mode", files: { frontend: "frontend.yml" } },
  { hoursAgo: 4 * 24 + 5, author: "Sam Okafor", message: "notes-api: search notes by title", files: { "notes-api": "notes-api.v2.yml" } },
  {
    hoursAgo: 5,
    author: "Tomás Rivera",
    message: "Add note-purchased topic and notify on purchase",
    files: { "billing-api": "billing-api.v2.json", "notify-job": "notify-job.v2.yml", "analytics-job": "analytics-job.yml" },
  },
];

// Each build deploys one commit: the services whose artifact differs from the stage's live state
// (what changed since the stage's last deploy), or every service for `full` (unchanged steps show).
// dev's newest deploy is full, as a source build after a sprout.yml change is: its unchanged steps
// record that commit as each service's source, so the next Deploy rebuilds only what changes after it.
// A build may be a promote of another stage's build (by a person), or a rollback to an earlier
// build of its stage: dev's story ends rolled back, hence pinned, while prod still runs the faulty
// commit (the seed's walkthrough).
export type TDemoBuild =
  | { commit: number; full?: boolean; promotedFrom?: { stage: string; number: number }; by?: string }
  | { rollbackTo: number; hoursAgo: number; by: string; reason: string };

export const STAGES: { name: string; position: number; delayHours: number; builds: TDemoBuild[] }[] = [
  {
    name: "dev",
    position: 0,
    delayHours: 0,
    builds: [
      { commit: 7, full: true },
      { commit: 9 },
      { commit: 11 },
      { commit: 12, full: true },
      { rollbackTo: 3, hoursAgo: 1.5, by: "user:lena@example.com", reason: "Purchases fail on dev since #4" },
    ],
  },
  {
    name: "prod",
    position: 1,
    delayHours: 2,
    builds: COMMITS.map((_, commit) =>
      commit === 11 ? { commit, promotedFrom: { stage: "dev", number: 3 }, by: "user:maya@example.com" } : { commit, full: commit === 8 },
    ),
  },
];
