// The demo's git repository, `${SPROUT_DATA_DIR ?? ".data"}/repos/notes`: prisma/demo/history.ts's
// commits on main, each with its author, date and message, writing the templates of the services it
// changes (services/<name>/, listed in sprout.yml). The demo's builds carry these commits' shas, so
// a Deploy rebuilds only what changed since what is live. One `git fast-import` writes the history
// (a few tens of milliseconds), then the working tree is checked out for a newcomer to commit in.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { reposDir } from "@/lib/server/source/data-dir";
import { COMMITS } from "./demo/history";

export const DEMO_REPO = "notes";
export const DEMO_BRANCH = "main";
const HOUR = 3_600_000;
/** Service -> the services it lists in dependsOn (the others depend through imports). */
export const DEPENDS_ON: Record<string, string[]> = { frontend: ["notes-api", "billing-api"] };
/** The service packaged by a build command, as `serverless package` would: the others commit their template. */
const BUILT = "notes-api";

/**
 * A commit's code package folder, which its services' templates name (`{{code}}` in prisma/demo/):
 * a code-only change is a new template. Derived from the commit's place and message: stable.
 */
export const codeKey = (commit: number) =>
  crypto.createHash("sha1").update(`notes#${commit}:${COMMITS[commit]!.message}`).digest("hex").slice(0, 12);

/** The template `file` of prisma/demo/ as the commit that last changed the service has it. */
export function demoTemplate(file: string, commit: number): string {
  return fs.readFileSync(path.join(import.meta.dirname, "demo", file), "utf8").replaceAll("{{code}}", codeKey(commit));
}

/** Commit authors get an address from their name: "Tomás Rivera" -> tomas.rivera@notes.example. */
export function authorEmail(name: string): string {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".");
  return `${local.replace(/^\.|\.$/g, "")}@notes.example`;
}

const extension = (file: string) => path.extname(file);

function sproutYml(services: Map<string, string>): string {
  const lines = ["# The notes app's services: the folder of each, how it is built, the template it deploys.", "services:"];
  for (const [name, file] of services) {
    lines.push(`  ${name}:`, `    path: services/${name}`);
    if (name === BUILT) lines.push("    build: node build.mjs", `    template: .sprout/template${extension(file)}`);
    else lines.push(`    template: template${extension(file)}`);
    if (DEPENDS_ON[name]) lines.push(`    dependsOn: [${DEPENDS_ON[name].join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

const BUILD_MJS = `// Stands in for \`serverless package\`: writes the CloudFormation template Sprout deploys into .sprout/.
// Sprout runs it in this folder with PATH, HOME and SPROUT_APP, SPROUT_STAGE, SPROUT_COMMIT, SPROUT_BUILD_NUMBER.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync(".sprout", { recursive: true });
copyFileSync("template.yml", ".sprout/template.yml");
const { SPROUT_STAGE, SPROUT_COMMIT, SPROUT_BUILD_NUMBER } = process.env;
console.log(\`packaged notes-api for \${SPROUT_STAGE} at \${SPROUT_COMMIT?.slice(0, 7)} (build #\${SPROUT_BUILD_NUMBER}): .sprout/template.yml\`);
`;

const README = `# notes

Sprout's demo repository. Each folder of \`services/\` is a service; \`sprout.yml\` says where its
template is and how it is built (\`notes-api\` runs \`node build.mjs\`). Change a template, commit,
and press Deploy on the \`dev\` stage of the app \`notes\`: Sprout checks the commit out, packages
the services that changed and deploys them.
`;

/** The files commit `i` writes: its services' templates; the first commit also sprout.yml and the rest. */
function commitFiles(i: number, known: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const before = known.size;
  for (const [service, file] of Object.entries(COMMITS[i]!.files)) {
    known.set(service, file);
    // notes-api's build command copies it into .sprout/; the others deploy it as committed
    out[`services/${service}/template${extension(file)}`] = demoTemplate(file, i);
  }
  if (known.size !== before) out["sprout.yml"] = sproutYml(known);
  if (i === 0) {
    out["README.md"] = README;
    out[".gitignore"] = ".sprout/\nnode_modules/\n";
    out[`services/${BUILT}/build.mjs`] = BUILD_MJS;
  }
  return out;
}

/** `git fast-import`'s input: every commit of the demo's history on main, dated `hoursAgo` before `now`. */
function fastImportStream(now: number): Buffer {
  const parts: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    parts.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from("\n"));
  };
  const known = new Map<string, string>();
  COMMITS.forEach((c, i) => {
    const who = `${c.author} <${authorEmail(c.author)}> ${Math.floor((now - c.hoursAgo * HOUR) / 1000)} +0000`;
    parts.push(Buffer.from(`commit refs/heads/${DEMO_BRANCH}\nauthor ${who}\ncommitter ${who}\n`));
    data(`${c.message}\n`);
    for (const [file, text] of Object.entries(commitFiles(i, known))) {
      parts.push(Buffer.from(`M 100644 inline ${file}\n`));
      data(text);
    }
  });
  parts.push(Buffer.from("done\n"));
  return Buffer.concat(parts);
}

// git sees none of the caller's repository variables nor the user's configuration (hooks, signing)
const GIT_ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" };
for (const k of Object.keys(GIT_ENV)) {
  if (
    /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|NAMESPACE|PREFIX)$/.test(
      k,
    )
  )
    delete GIT_ENV[k];
}

function git(cwd: string, args: string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      env: GIT_ENV,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new Error(`the demo repository needs git: ${e.message}`)));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args[0]} failed (${code}): ${err.trim()}`))));
    child.stdin.end(input);
  });
}

/**
 * Writes the demo's repository into a new folder next to where it goes (placeDemoRepo moves it
 * there once the demo is loaded); gives the folder and the commits' shas, oldest first.
 */
export async function createDemoRepo(now: number): Promise<{ dir: string; shas: string[] }> {
  fs.mkdirSync(reposDir(), { recursive: true });
  const dir = fs.mkdtempSync(path.join(reposDir(), `.${DEMO_REPO}-`));
  try {
    await git(dir, ["init", "--quiet", `--initial-branch=${DEMO_BRANCH}`]);
    await git(dir, ["fast-import", "--quiet", "--done"], fastImportStream(now));
    await git(dir, ["reset", "--quiet", "--hard"]);
    const shas = (await git(dir, ["rev-list", "--reverse", DEMO_BRANCH])).trim().split("\n");
    if (shas.length !== COMMITS.length) throw new Error(`the demo repository has ${shas.length} commits, not ${COMMITS.length}`);
    return { dir, shas };
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export const demoRepoPath = () => path.join(reposDir(), DEMO_REPO);

/** Moves the new repository to repos/notes; a folder already there (an earlier database's demo) is kept, renamed. */
export function placeDemoRepo(dir: string): { path: string; keptAs: string | null } {
  const target = demoRepoPath();
  let keptAs: string | null = null;
  if (fs.existsSync(target)) {
    keptAs = `${target}.${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(target, keptAs);
  }
  fs.renameSync(dir, target);
  return { path: target, keptAs };
}
