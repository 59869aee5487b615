// Renders a .vnet file as VS Code would show it: the extension's TextMate grammar (through
// vscode-textmate and the Oniguruma WebAssembly build VS Code uses), Dark+ colours, and the
// diagnostics of `vnetc check --format json` as squiggles, a hover and a Problems panel.
// Used for the README's screenshot (docs/images/vscode-diagnostics.png):
//
//   node tools/render-html.js FILE.vnet DIAGNOSTICS.json OUT.html
//   chromium --headless --no-sandbox --disable-gpu --screenshot=OUT.png OUT.html

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

// Dark+ colours for the scopes the grammar produces (longest matching prefix wins).
const THEME = [
  ["comment", "#6A9955"],
  ["string", "#CE9178"],
  ["constant.character.escape", "#D7BA7D"],
  ["constant.numeric", "#B5CEA8"],
  ["constant.language", "#569CD6"],
  ["storage.type", "#569CD6"],
  ["entity.name.type", "#4EC9B0"],
  ["keyword.control", "#C586C0"],
  ["keyword.other.attribute", "#9CDCFE"],
  ["keyword.other", "#569CD6"],
  ["keyword.operator", "#D4D4D4"],
  ["support.constant", "#4FC1FF"],
  ["variable", "#9CDCFE"],
];

function color(scopes) {
  let best = null;
  for (const scope of scopes) {
    for (const [prefix, value] of THEME) {
      if ((scope === prefix || scope.startsWith(prefix + ".")) && (!best || prefix.length >= best[0].length)) {
        best = [prefix, value];
      }
    }
  }
  return best ? best[1] : "#D4D4D4";
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function main() {
  const [file, diagnosticsFile, out] = process.argv.slice(2);
  if (!out) {
    console.error("usage: node tools/render-html.js FILE.vnet DIAGNOSTICS.json OUT.html");
    process.exit(2);
  }
  const root = path.join(__dirname, "..");
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(
        fs.readFileSync(path.join(root, "syntaxes/vnet.tmLanguage.json"), "utf8"),
        "vnet.tmLanguage.json",
      ),
  });
  const grammar = await registry.loadGrammar("source.vnet");
  const text = fs.readFileSync(file, "utf8").replace(/\n$/, "");
  const report = JSON.parse(fs.readFileSync(diagnosticsFile, "utf8"));
  const diagnostics = report.diagnostics || [];

  let state = vsctm.INITIAL;
  const rows = [];
  text.split("\n").forEach((line, index) => {
    const number = index + 1;
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const here = diagnostics.filter((d) => d.line === number);
    let html = "";
    for (const token of result.tokens) {
      const part = line.slice(token.startIndex, token.endIndex);
      // Columns are 1-based; a token is squiggled where it overlaps a diagnostic.
      const squiggle = here.some((d) => token.startIndex < d.end_column - 1 && token.endIndex > d.column - 1);
      const style = `color:${color(token.scopes)}` + (squiggle ? ";text-decoration:underline wavy #F14C4C" : "");
      html += `<span style="${style}">${escape(part)}</span>`;
    }
    rows.push(`<div class="line"><span class="gutter">${number}</span>${html || " "}</div>`);
    for (const d of here) {
      const label = d.label ? `<div class="label">${escape(d.label)}</div>` : "";
      rows.push(
        `<div class="hover-row"><div class="hover" style="left:${d.column + 5}ch"><span class="code">${d.severity}[${d.code}]</span> ` +
          `${escape(d.message)}${label}<div class="source">vnet</div></div></div>`,
      );
    }
  });
  const problems = diagnostics
    .map((d) => `<div class="problem"><span class="dot">&#x2716;</span> ${escape(d.message)} <span class="where">vnet(${d.code}) [Ln ${d.line}, Col ${d.column}]</span></div>`)
    .join("");
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin:0; background:#1E1E1E; font-family:"DejaVu Sans Mono", monospace; font-size:14px; }
.tab { background:#252526; color:#CCCCCC; padding:6px 12px; font-family:"DejaVu Sans", sans-serif; font-size:13px; border-bottom:1px solid #333; }
.tab b { color:#FFFFFF; font-weight:normal; border-bottom:1px solid #F14C4C; padding-bottom:4px; }
.editor { padding:8px 0 28px 0; }
.line { white-space:pre; line-height:20px; color:#D4D4D4; }
.gutter { display:inline-block; width:4ch; text-align:right; margin-right:2ch; color:#858585; }
.hover-row { position:relative; height:0; }
.hover-row .hover { position:absolute; top:0; }
.hover { white-space:normal; background:#252526; border:1px solid #454545; color:#CCCCCC; padding:6px 10px; margin:2px 0 6px 0; width:max-content; font-family:"DejaVu Sans", sans-serif; font-size:13px; }
.hover .code { color:#F14C4C; } .hover .label { color:#9CDCFE; margin-top:4px; } .hover .source { color:#858585; margin-top:4px; }
.panel { border-top:1px solid #454545; background:#1E1E1E; color:#CCCCCC; font-family:"DejaVu Sans", sans-serif; font-size:13px; padding:6px 12px; }
.panel .title { color:#E7E7E7; font-size:11px; letter-spacing:1px; margin-bottom:6px; }
.dot { color:#F14C4C; } .where { color:#858585; }
</style></head><body>
<div class="tab"><b>${escape(path.basename(file))}</b></div>
<div class="editor">${rows.join("\n")}</div>
<div class="panel"><div class="title">PROBLEMS (${diagnostics.length})</div>${problems}</div>
</body></html>`;
  fs.writeFileSync(out, html);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
