// The cdktn entry point (`cdktf-alicloud-sg-attachment/cdktn`), built from the same source as the
// cdktf one. Only src/constructs/ and src/index.ts import the CDK; they are compiled a second time:
//
//   src/index.ts      -> dist/cdktn.js, dist/cdktn.d.ts
//   src/constructs/** -> dist/constructs-cdktn/**
//
// type-checked against cdktn's own declarations (the compiler resolves "cdktf" to cdktn), and
// emitted with every "cdktf" / "cdktf/..." module specifier rewritten to "cdktn" / "cdktn/...", in
// the JavaScript and in the declarations alike. dist/constructs-cdktn/ sits at the same depth as
// dist/constructs/, so its imports of the layers below (../provider, ../membership) reach the one
// shared copy in dist/; src/index.ts's "./constructs" becomes "./constructs-cdktn".
// Run after `tsc -p tsconfig.build.json` (npm run build does).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const constructsSrc = join(src, "constructs");
const dist = join(root, "dist");

const FROM = "cdktf";
const TO = "cdktn";
const FLAVOUR_DIR = `constructs-${TO}`;

function loadOptions() {
  const configPath = join(root, "tsconfig.build.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    // Type-check against the cdktn flavour's CDK: "cdktf" resolves to node_modules/cdktn.
    baseUrl: root,
    paths: { [FROM]: [`node_modules/${TO}`], [`${FROM}/*`]: [`node_modules/${TO}/*`] },
  };
}

const isInside = (dir, path) => path === dir || path.startsWith(dir + sep);

/** The specifier the cdktn flavour uses instead of `spec`, written in `fileName`; undefined: unchanged. */
function rewriteSpecifier(spec, fileName) {
  if (spec === FROM || spec.startsWith(`${FROM}/`)) return TO + spec.slice(FROM.length);
  if (!spec.startsWith(".") || isInside(constructsSrc, fileName)) return undefined;
  // Outside src/constructs (src/index.ts): a relative import of the constructs layer takes its flavour.
  const target = resolve(dirname(fileName), spec);
  if (!isInside(constructsSrc, target)) return undefined;
  const flavoured = join(src, FLAVOUR_DIR, relative(constructsSrc, target));
  const rel = relative(dirname(fileName), flavoured).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** A transformer (for JavaScript and declarations) applying rewriteSpecifier to every module specifier. */
function specifierRewriter(context) {
  const f = context.factory;
  return (file) => {
    const fileName = resolve(file.fileName ?? "");
    const swap = (node) => {
      if (!node || !ts.isStringLiteral(node)) return undefined;
      const next = rewriteSpecifier(node.text, fileName);
      return next === undefined ? undefined : f.createStringLiteral(next);
    };
    const visit = (node) => {
      if (ts.isImportDeclaration(node)) {
        const spec = swap(node.moduleSpecifier);
        if (spec) {
          return f.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes);
        }
      } else if (ts.isExportDeclaration(node)) {
        const spec = swap(node.moduleSpecifier);
        if (spec) {
          return f.updateExportDeclaration(
            node,
            node.modifiers,
            node.isTypeOnly,
            node.exportClause,
            spec,
            node.attributes,
          );
        }
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        const spec = swap(node.argument.literal);
        if (spec) {
          return f.updateImportTypeNode(
            node,
            f.createLiteralTypeNode(spec),
            node.attributes,
            node.qualifier,
            node.typeArguments,
            node.isTypeOf,
          );
        }
      } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
        // require("cdktf") / import("cdktf") written as calls in the source.
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
        const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        const spec = (isRequire || isImport) && swap(node.arguments[0]);
        if (spec) return f.updateCallExpression(node, node.expression, node.typeArguments, [spec]);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(file, visit);
  };
}

/** Where the cdktn flavour of a file tsc would write to dist/ goes. */
function flavouredOutput(fileName) {
  const rel = relative(dist, resolve(fileName)).split(sep).join("/");
  if (rel === "index.js" || rel === "index.d.ts") return join(dist, rel.replace(/^index/, TO));
  if (rel.startsWith("constructs/")) return join(dist, FLAVOUR_DIR, rel.slice("constructs/".length));
  throw new Error(`build-cdktn: unexpected output ${fileName}`);
}

const options = loadOptions();
const roots = [join(src, "index.ts"), ...ts.sys.readDirectory(constructsSrc, [".ts"], ["**/*.d.ts"])];
const program = ts.createProgram(roots, options);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.stderr.write(`build-cdktn: the ${TO} flavour does not type-check against ${TO}\n`);
  process.exit(1);
}

// A module specifier naming cdktf that the transformer missed would load (or type) the wrong CDK.
const leftover = new RegExp(`(?:require\\(|import\\(|from )\\s*["']${FROM}(?:/[^"']*)?["']`);

let written = 0;
const writeFile = (fileName, text) => {
  const out = flavouredOutput(fileName);
  if (leftover.test(text)) {
    console.error(`build-cdktn: ${relative(root, out)} still names ${FROM}: ${text.match(leftover)[0]}`);
    process.exit(1);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  written += 1;
};
const transformers = { before: [specifierRewriter], afterDeclarations: [specifierRewriter] };
for (const file of program.getSourceFiles()) {
  const name = resolve(file.fileName);
  if (name !== join(src, "index.ts") && !isInside(constructsSrc, name)) continue;
  const result = program.emit(file, writeFile, undefined, false, transformers);
  if (result.emitSkipped) {
    console.error(`build-cdktn: emit skipped for ${name}`);
    process.exit(1);
  }
}
console.log(`build-cdktn: wrote ${written} files (dist/${TO}.js, dist/${FLAVOUR_DIR}/)`);
