/**
 * VS Code client for the Wippy language server (`wippy lsp`).
 *
 * The extension only launches the server over stdio and forwards the
 * documents it cares about; all language intelligence lives in the server.
 */
import * as path from "path";
import * as vscode from "vscode";
import {
  DocumentSelector,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

/**
 * Client id. `vscode-languageclient` reads `<id>.trace.server`, so this must
 * match the `wippy.trace.server` setting declared in package.json.
 */
const CLIENT_ID = "wippy";
const CLIENT_NAME = "Wippy Language Server";

/** Documents handed to the server. */
const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "lua" },
  { scheme: "file", language: "luau" },
  // Wippy registry manifests.
  { scheme: "file", pattern: "**/_index.yaml" },
  // Wraith twin handlers.
  { scheme: "file", pattern: "**/twins/*/lua/**" },
];

let client: LanguageClient | undefined;

/**
 * Shared by every client instance, so restarts append to one "Wippy" channel
 * (server stderr, client errors and `wippy.trace.server` output).
 */
let outputChannel: vscode.OutputChannel | undefined;

/** Tail of the start/stop queue, so overlapping restarts run one after another. */
let lifecycle: Promise<void> = Promise.resolve();

/** Entry point: starts the server and registers the extension's commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel("Wippy");
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand("wippy.restartServer", restartServer),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("wippy.server")) {
        void restartServer();
      }
    }),
    // Settings restricted in untrusted workspaces become effective once trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restartServer()),
  );
  await restartServer();
}

/** Called by VS Code on shutdown; stops the server cleanly. */
export async function deactivate(): Promise<void> {
  lifecycle = lifecycle.then(stopServer);
  await lifecycle;
}

/** Creates a client from the current settings and starts it. */
async function startServer(): Promise<void> {
  const config = vscode.workspace.getConfiguration("wippy");
  const command = resolveServerPath(config.get<string>("server.path", "wippy"));
  const extraArgs = config.get<string[]>("server.args", []);

  // No `transport` on purpose: with `TransportKind.stdio` the client would
  // append `--stdio`, which `wippy lsp` does not take. Without it the client
  // still talks to the process over stdin/stdout.
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp", ...extraArgs],
    options: { cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel,
  };

  const created = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = created;
  try {
    await created.start();
  } catch {
    // The client has already shown the error (with a "Go to output" action);
    // add a hint about the setting that usually fixes it.
    created.outputChannel.appendLine(
      `Could not start \`${command} lsp\`. Install wippy on PATH or set "wippy.server.path", ` +
        `then run "Wippy: Restart Language Server".`,
    );
  }
}

/** Stops and disposes the current client, if any. */
async function stopServer(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) {
    // `dispose` stops a running server; it rejects for a client whose start
    // failed, which has nothing left to stop.
    await current.dispose().catch(() => undefined);
  }
}

/**
 * (Re)starts the server, re-reading `wippy.server.*` so that changes to the
 * binary path or arguments take effect. Calls are queued, never interleaved.
 */
function restartServer(): Promise<void> {
  lifecycle = lifecycle.then(stopServer).then(startServer);
  return lifecycle;
}

/**
 * Turns the `wippy.server.path` setting into a command for `spawn`:
 * `~` expands to the home directory, a bare name is left for the `PATH`
 * lookup, and a relative path with a separator is taken relative to the
 * first workspace folder.
 */
function resolveServerPath(setting: string): string {
  let p = setting.trim() || "wippy";
  if (p === "~" || p.startsWith("~/")) {
    p = path.join(process.env.HOME ?? process.env.USERPROFILE ?? "", p.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!path.isAbsolute(p) && /[\\/]/.test(p) && folder) {
    p = path.join(folder.uri.fsPath, p);
  }
  return p;
}
