// Builds the local preview: the package's own components (force-app/main/default/lwc, unchanged) with LWC open source,
// lightning-base-components and SLDS, and local stand-ins for the lightning/* data modules that call the companion's
// API. Cached: the build is skipped when no input changed since the last one (a hash of every input file).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import lwcPlugin, { type RollupLwcOptions } from '@lwc/rollup-plugin';
import nodeResolvePlugin from '@rollup/plugin-node-resolve';
import replacePlugin from '@rollup/plugin-replace';
import { XMLParser } from 'fast-xml-parser';
import { rollup, type Plugin } from 'rollup';

// These plugins are CommonJS with a default export; Node hands the function over, the type declarations disagree.
const lwc = lwcPlugin as unknown as (options: RollupLwcOptions) => Plugin;
const nodeResolve = nodeResolvePlugin as unknown as (options: { rootDir: string }) => Plugin;
const replace = replacePlugin as unknown as (options: { preventAssignment: boolean; values: Record<string, string> }) => Plugin;

export const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface BuildOptions {
  root?: string;
  outDir?: string;
  force?: boolean;
  /** The package whose components, labels and pages are built (default <root>/force-app). */
  packageDir?: string;
}

export interface BuildResult {
  outDir: string;
  built: boolean;
  ms: number;
  components: string[];
  warnings: string[];
}

const LWC_DIR = 'main/default/lwc';
const LABELS_FILE = 'main/default/labels/CustomLabels.labels-meta.xml';
const FLEXIPAGES_DIR = 'main/default/flexipages';
const PACKAGES = ['lwc', '@lwc/rollup-plugin', 'lightning-base-components', '@salesforce-ux/design-system', 'rollup'];

const walk = (dir: string): string[] =>
  !existsSync(dir) ? [] : readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === '__tests__' ? [] : walk(path)) : [path];
  });

/** The hash of everything the bundle depends on: our sources, the package's components, labels and pages, tool versions. */
const inputHash = (root: string, pkg: string): string => {
  const hash = createHash('sha256');
  const files = [...walk(join(root, 'preview')), ...walk(join(pkg, LWC_DIR)), ...walk(join(pkg, FLEXIPAGES_DIR)), ...walk(join(root, 'server/src/preview'))];
  if (existsSync(join(pkg, LABELS_FILE))) files.push(join(pkg, LABELS_FILE));
  hash.update(pkg);
  for (const file of files) hash.update(relative(pkg, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const name of PACKAGES) {
    const manifest = join(root, 'node_modules', name, 'package.json');
    hash.update(name).update(existsSync(manifest) ? String((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version) : 'absent');
  }
  return hash.digest('hex');
};

/** Components of the package: folder name → entry file, for those with a JS entry of the same name. */
export const packageComponents = (pkg: string): Map<string, string> => {
  const dir = join(pkg, LWC_DIR);
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir).sort()) {
    const entry = join(dir, name, `${name}.js`);
    if (existsSync(entry)) found.set(name, entry);
  }
  return found;
};

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['labels', 'flexiPageRegions', 'itemInstances'].includes(name) });

export const readLabels = (pkg: string): Map<string, string> => {
  const file = join(pkg, LABELS_FILE);
  if (!existsSync(file)) return new Map();
  const doc = xml.parse(readFileSync(file, 'utf8')) as { CustomLabels?: { labels?: { fullName: string; value: string }[] } };
  return new Map((doc.CustomLabels?.labels ?? []).map((l) => [String(l.fullName), String(l.value ?? '')]));
};

export interface FlexiPageDef {
  name: string;
  label: string;
  type: string;
  sobjectType: string | null;
  /** Custom components (c:name) in region order. */
  components: string[];
}

export const readFlexiPages = (pkg: string): FlexiPageDef[] =>
  walk(join(pkg, FLEXIPAGES_DIR))
    .filter((f) => f.endsWith('.flexipage-meta.xml'))
    .map((file) => {
      const doc = (xml.parse(readFileSync(file, 'utf8')) as { FlexiPage: Record<string, unknown> }).FlexiPage;
      const regions = (doc.flexiPageRegions as { itemInstances?: { componentInstance?: { componentName?: string } }[] }[] | undefined) ?? [];
      const components = regions.flatMap((r) => (r.itemInstances ?? []).map((i) => String(i.componentInstance?.componentName ?? ''))).filter((c) => c.startsWith('c:')).map((c) => c.slice(2));
      return { name: basename(file, '.flexipage-meta.xml'), label: String(doc.masterLabel ?? ''), type: String(doc.type ?? ''), sobjectType: doc.sobjectType ? String(doc.sobjectType) : null, components };
    });

const VIRTUAL = '\0stagecraft:';

/** @salesforce/schema, @salesforce/label and the generated component registry, as the platform provides them. */
const salesforceModules = (pkg: string, warnings: string[]): Plugin => {
  const labels = readLabels(pkg);
  const components = packageComponents(pkg);
  return {
    name: 'stagecraft-salesforce-modules',
    resolveId(source) {
      if (source.startsWith('@salesforce/schema/') || source.startsWith('@salesforce/label/c.') || source === 'preview/registry') return VIRTUAL + source;
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source.startsWith('@salesforce/schema/')) {
        const [objectApiName, ...path] = source.slice('@salesforce/schema/'.length).split('.');
        return path.length === 0 ? `export default ${JSON.stringify({ objectApiName })};` : `export default ${JSON.stringify({ objectApiName, fieldApiName: path.join('.') })};`;
      }
      if (source.startsWith('@salesforce/label/c.')) {
        const name = source.slice('@salesforce/label/c.'.length);
        if (!labels.has(name)) warnings.push(`label ${name} is not in force-app/${LABELS_FILE}; the preview shows its name`);
        return `export default ${JSON.stringify(labels.get(name) ?? name)};`;
      }
      // The registry: every package component that exists, and the pages that place them.
      // Only UI components (a template beside the entry) can be placed on a page; service modules are imported by them.
      const names = [...components].filter(([name, entry]) => existsSync(join(entry, '..', `${name}.html`))).map(([name]) => name);
      return [
        ...names.map((n, i) => `import C${i} from 'c/${n}';`),
        `export const components = { ${names.map((n, i) => `${JSON.stringify(n)}: C${i}`).join(', ')} };`,
        `export const flexiPages = ${JSON.stringify(readFlexiPages(pkg))};`,
      ].join('\n');
    },
  };
};

/** lightning-base-components' own module records with absolute paths, so components outside this repo resolve too. */
const baseComponentModules = (root: string): ({ dir: string } | { name: string; path: string })[] => {
  const base = join(root, 'node_modules', 'lightning-base-components');
  const manifest = JSON.parse(readFileSync(join(base, 'package.json'), 'utf8')) as { lwc: { modules: ({ dir: string } | { name: string; path: string })[] } };
  return manifest.lwc.modules.map((m) => ('dir' in m ? { dir: join(base, m.dir) } : { name: m.name, path: join(base, m.path) }));
};

export const buildPreview = async (options: BuildOptions = {}): Promise<BuildResult> => {
  const started = Date.now();
  const root = options.root ?? ROOT;
  const outDir = options.outDir ?? join(root, 'dist', 'preview');
  const hashFile = join(outDir, '.inputs-sha256');
  const pkg = options.packageDir ?? join(root, 'force-app');
  const hash = inputHash(root, pkg);
  const components = [...packageComponents(pkg).keys()];
  if (!options.force && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash && existsSync(join(outDir, 'app.js'))) {
    return { outDir, built: false, ms: Date.now() - started, components, warnings: [] };
  }

  const warnings: string[] = [];
  const standIns = [
    ...['uiRecordApi', 'uiRelatedListApi', 'uiGraphQLApi', 'platformShowToastEvent', 'navigation'].map((name) => ({ name: `lightning/${name}`, path: join(root, 'preview', 'stand-ins', `${name}.js`) })),
    // The platform's newer name for the GraphQL wire adapter module.
    { name: 'lightning/graphql', path: join(root, 'preview', 'stand-ins', 'uiGraphQLApi.js') },
    // Gates that need native shadow DOM stay closed under synthetic shadow (see closedGate.js).
    { name: '@salesforce/gate/bc.260.enableComboboxElementInternals', path: join(root, 'preview', 'stand-ins', 'closedGate.js') },
    // The running user: whoever the preview is viewing as (its header's "Viewing as"), or nobody.
    { name: '@salesforce/user/Id', path: join(root, 'preview', 'stand-ins', 'currentUser.js') },
  ];
  const bundle = await rollup({
    input: join(root, 'preview', 'src', 'main.js'),
    plugins: [
      salesforceModules(pkg, warnings),
      replace({ preventAssignment: true, values: { 'import.meta.env.SSR': 'false', 'process.env.NODE_ENV': JSON.stringify('production') } }),
      lwc({
        rootDir: join(root, 'preview'),
        modules: [
          ...standIns,
          ...[...packageComponents(pkg)].map(([name, path]) => ({ name: `c/${name}`, path })),
          { dir: join(root, 'preview', 'modules') },
          ...baseComponentModules(root),
        ],
        enableDynamicComponents: true,
      }),
      nodeResolve({ rootDir: root }),
    ],
    onwarn: (warning) => {
      // A module nothing provides would fail in the browser: fail the build instead, naming it.
      if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(`preview build: ${warning.message}`);
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warnings.push(warning.message);
    },
  });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await bundle.write({ dir: outDir, format: 'esm', entryFileNames: 'app.js', chunkFileNames: 'chunks/[name]-[hash].js' });
  await bundle.close();

  const slds = join(root, 'node_modules', '@salesforce-ux', 'design-system', 'assets');
  cpSync(join(slds, 'styles', 'salesforce-lightning-design-system.min.css'), join(outDir, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'));
  cpSync(join(slds, 'images'), join(outDir, 'assets', 'images'), { recursive: true });
  cpSync(join(root, 'preview', 'public'), outDir, { recursive: true });
  writeFileSync(hashFile, hash);
  return { outDir, built: true, ms: Date.now() - started, components, warnings };
};
