// A stand-in for `npm start` in tests: starts the embedded PostgreSQL of the data folder argv[2]
// (SPROUT_PG_HOME argv[3]), prints {"url","pid"} on one line, then runs until killed, noting each
// SIGINT it gets (as a terminal's Ctrl-C would deliver it to its whole process group).
import { startEmbeddedPostgres } from "../../scripts/embedded-postgres";

const server = await startEmbeddedPostgres({ dataDir: process.argv[2], database: "postgres", serverHome: process.argv[3] });
process.on("SIGINT", () => console.log("SIGINT"));
console.log(JSON.stringify({ url: server.url, pid: server.pid }));
setInterval(() => {}, 60_000);
