// The vnet extension: starts the `vnet-lsp` language server over stdio for `.vnet` files.
// Highlighting, brackets, comments and snippets are declarative (package.json).

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("vnet.restartServer", () => restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("vnet.server")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The server command from the settings: `vnet.server.path` (default `vnet-lsp` on PATH). */
function serverCommand(): { command: string; args: string[] } {
  const config = vscode.workspace.getConfiguration("vnet");
  let command = (config.get<string>("server.path") ?? "").trim() || "vnet-lsp";
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (command.startsWith("~/") && home) {
    command = home + command.slice(1);
  }
  return { command, args: config.get<string[]>("server.args") ?? [] };
}

async function start(): Promise<void> {
  const { command, args } = serverCommand();
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "vnet" },
      { scheme: "untitled", language: "vnet" },
    ],
    synchronize: {
      // Other files of the workspace and its configuration change what a file means.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.vnet,vnet.toml}"),
    },
  };
  client = new LanguageClient("vnet", "vnet", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const action = "Open settings";
    const choice = await vscode.window.showErrorMessage(
      `vnet: could not start the language server \`${command}\` (${String(error)}). ` +
        "Install it (cargo install --path lsp) or set vnet.server.path.",
      action,
    );
    if (choice === action) {
      await vscode.commands.executeCommand("workbench.action.openSettings", "vnet.server.path");
    }
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}
