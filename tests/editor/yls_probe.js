// Ask a real yaml-language-server what it completes and reports for a catalog (test_schema_editor.py).
// argv: schema URI, then a JSON list of [kind, name, text, line, character]; prints a JSON object.
const { getLanguageService } = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { URI } = require('vscode-uri');
const fs = require('fs');
const path = require('path');

const ls = getLanguageService({
  schemaRequestService: (uri) => {
    try { return Promise.resolve(fs.readFileSync(URI.parse(uri).fsPath, 'utf8')); } catch (e) { return Promise.reject(String(e)); }
  },
  workspaceContext: { resolveRelativePath: (rel, res) => URI.file(path.resolve(path.dirname(URI.parse(res).fsPath), rel)).toString() },
});
ls.configure({ validate: true, completion: true, hover: true, isKubernetes: false, yamlVersion: '1.2', customTags: [] });

(async () => {
  const out = {};
  for (const [kind, name, text, line, character] of JSON.parse(process.argv[2])) {
    const doc = TextDocument.create(`file:///negotrack-probe/${name}.yaml`, 'yaml', 1, text);
    if (kind === 'complete') {
      const list = await ls.doComplete(doc, { line, character }, false);
      out[name] = list.items.map((i) => i.label).sort();
    } else {
      const diags = await ls.doValidation(doc, false);
      out[name] = diags.map((d) => [d.range.start.line, d.message]);
    }
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });
