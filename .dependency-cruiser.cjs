// Import direction, as drawn in ../shared/design/STYLE.md ("arrows point one way").
// Each rule names the package that must NOT reach the listed packages. CI fails on any violation.
/** @type {import('dependency-cruiser').IConfiguration} */
const generic = ['openflow', 'ovsdb', 'packet', 'engine'];
const all = [
  'openflow',
  'ovsdb',
  'packet',
  'model',
  'nbdb',
  'core',
  'api',
  'engine',
  'controller',
  'k8s',
  'cni',
  'lab',
  'cli',
];
const pkg = (names) => `^(packages/(${names.join('|')})/|node_modules/@weir/(${names.join('|')})/)`;
const except = (keep) => all.filter((n) => !keep.includes(n));

module.exports = {
  forbidden: [
    // The generic libraries know nothing of weir: they may import only node builtins and npm packages.
    ...generic.map((name) => ({
      name: `${name}-is-generic`,
      comment: `packages/${name} is a generic library and must not import other weir packages`,
      severity: 'error',
      from: { path: `^packages/${name}/src/` },
      to: { path: pkg(except([name])) },
    })),
    {
      name: 'model-is-leaf',
      severity: 'error',
      from: { path: '^packages/model/src/' },
      to: { path: pkg(except(['model'])) },
    },
    {
      name: 'nbdb-needs-only-model',
      severity: 'error',
      from: { path: '^packages/nbdb/src/' },
      to: { path: pkg(except(['nbdb', 'model'])) },
    },
    {
      name: 'core-needs-model-nbdb',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { path: pkg(except(['core', 'model', 'nbdb'])) },
    },
    {
      name: 'api-needs-core',
      severity: 'error',
      from: { path: '^packages/api/src/' },
      to: { path: pkg(except(['api', 'core', 'model', 'nbdb'])) },
    },
    {
      name: 'cni-is-thin',
      comment: 'the CNI binary must start fast: no heavy weir packages',
      severity: 'error',
      from: { path: '^packages/cni/src/' },
      to: { path: pkg(except(['cni'])) },
    },
    {
      name: 'apps-are-pure',
      comment: 'controller apps compute flows from the model; they never touch sockets, the store or OVS',
      severity: 'error',
      from: { path: '^packages/controller/src/apps/' },
      to: {
        path: `(^node:(net|dgram|child_process|fs|http|https)$|^(net|dgram|child_process|fs|http|https)$|${pkg(['nbdb', 'ovsdb', 'api', 'lab', 'cli'])}|^packages/controller/src/(ovs|services|cni-endpoint)/)`,
      },
    },
    {
      name: 'pipeline-and-flows-are-pure',
      comment:
        'the pipeline declaration and the flow builder are data and checks: only @weir/openflow, no I/O, no model, no store',
      severity: 'error',
      from: { path: '^packages/controller/src/(pipeline|flows)/' },
      to: {
        path: `(^node:|^(net|dgram|child_process|fs|http|https|os|worker_threads)$|${pkg(except(['controller', 'openflow']))}|^packages/controller/src/(?!pipeline/|flows/|errors\\.ts$))`,
      },
    },
    {
      name: 'nothing-imports-lab-or-cli',
      comment: 'the lab and the CLI sit at the top; production code never depends on them (tests may)',
      severity: 'error',
      from: { path: '^packages/(?!lab/|cli/)[^/]+/src/' },
      to: { path: pkg(['lab', 'cli']) },
    },
    {
      name: 'no-circular',
      comment:
        'no runtime import cycles (cycles through `import type` only are erased at compile time and allowed)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
    {
      name: 'src-not-to-test',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { path: '^packages/[^/]+/test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/(?!@weir/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs'],
    },
    preserveSymlinks: false,
  },
};
